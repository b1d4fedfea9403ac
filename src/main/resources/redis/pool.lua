-- The pool engine: every change to a dynamic pool's live state, atomically, in one slot.
-- All keys share the pool's hash tag (ct:{pool:ID}:...), so this runs unchanged on Redis Cluster.
--
-- KEYS  1 free     ZSET number -> release time (ms); lowest = released longest ago (LRU pick), 0 = never used
--       2 busy     ZSET number -> latest lease expiry (ms); lowest = least recently active
--       3 sess     ZSET session -> lease expiry (ms)
--       4 lease    HASH session -> "number|visitor|startMs|shared|lastSeenMs|loggedMs"
--       5 holders  HASH number -> sessions holding it (more than 1 only when shared)
--       6 last     HASH number -> visitor who held it last ("nobody has held it since" check)
--       7 meta     HASH counters; its absence means the pool must be (re)built from PostgreSQL
--       8 blocked  SET numbers not to issue (draining or quarantined)
--       9 events   STREAM lease history for PostgreSQL (start / seen / end)
--      10 visitor  STRING the number this visitor last held in this pool (expires)
-- ARGV  1 op, 2 now (ms), 3 stream max length, 4 minimum ms between 'seen' log entries, 5.. per op
-- Every op is O(log n) in pool size, except sync/restore which take a chunk of numbers.

local free, busy, sess, lease, holders, last, meta, blocked, events, visitor =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local op, now, maxlen, logEvery = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])

-- Each entry carries the whole lease as known now, so PostgreSQL can upsert entries in any order.
local function log(kind, sid, number, vis, started, seen, ended, shared)
    redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'k', kind, 's', sid, 'n', number, 'v', vis,
        'st', started, 'seen', seen, 'end', ended, 'sh', shared)
end

local function parse(rec)
    local number, vis, started, shared, seen, logged =
        string.match(rec, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
    return number, vis, started, shared, tonumber(seen), tonumber(logged)
end

local function record(number, vis, started, shared, seen, logged)
    return number .. '|' .. vis .. '|' .. started .. '|' .. shared .. '|' .. string.format('%d', seen)
        .. '|' .. string.format('%d', logged)
end

-- Ends a session's lease at `at`; the number goes back to the free set (scored by `at`, so it rests
-- behind every number released earlier) once its last holder is gone, unless it is blocked.
local function endLease(sid, at)
    local rec = redis.call('HGET', lease, sid)
    if not rec then
        return
    end
    local number, vis, started, shared, seen = parse(rec)
    redis.call('HDEL', lease, sid)
    redis.call('ZREM', sess, sid)
    if redis.call('HINCRBY', holders, number, -1) <= 0 then
        redis.call('HDEL', holders, number)
        redis.call('ZREM', busy, number)
        if redis.call('SISMEMBER', blocked, number) == 0 then
            redis.call('ZADD', free, at, number)
        end
    end
    log('end', sid, number, vis, started, string.format('%d', seen), string.format('%d', at), shared)
end

local function reclaim(limit)
    local expired = redis.call('ZRANGEBYSCORE', sess, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
    for i = 1, #expired, 2 do
        endLease(expired[i], tonumber(expired[i + 1]))
    end
    return #expired / 2
end

local function renew(sid, rec, expiry)
    local number, vis, started, shared, seen, logged = parse(rec)
    redis.call('ZADD', sess, expiry, sid)
    redis.call('ZADD', busy, 'GT', expiry, number)
    if now - logged >= logEvery then
        log('seen', sid, number, vis, started, ARGV[2], '', shared)
        logged = now
    end
    redis.call('HSET', lease, sid, record(number, vis, started, shared, now, logged))
    return { 'RENEWED', number, expiry, tonumber(shared) }
end

local function start(sid, number, vis, expiry, shared, visitorTtl)
    redis.call('HSET', lease, sid, record(number, vis, ARGV[2], shared, now, now))
    redis.call('ZADD', sess, expiry, sid)
    redis.call('ZADD', busy, 'GT', expiry, number)
    redis.call('HINCRBY', holders, number, 1)
    redis.call('HSET', last, number, vis)
    redis.call('SET', visitor, number, 'PX', visitorTtl)
    redis.call('HINCRBY', meta, 'leases', 1)
    log('start', sid, number, vis, ARGV[2], ARGV[2], '', shared)
end

if op == 'alloc' then
    -- ARGV 5 session, 6 visitor, 7 hold ms, 8 exhaustion policy, 9 reclaim limit, 10 visitor key ttl ms
    if redis.call('EXISTS', meta) == 0 then
        return { 'NOPOOL' }
    end
    local sid, vis, policy = ARGV[5], ARGV[6], ARGV[8]
    reclaim(tonumber(ARGV[9]))
    local expiry = now + tonumber(ARGV[7])
    local rec = redis.call('HGET', lease, sid)
    if rec then
        return renew(sid, rec, expiry)
    end
    local pick, status = nil, 'NEW'
    local previous = redis.call('GET', visitor)
    if previous and redis.call('ZSCORE', free, previous) and redis.call('HGET', last, previous) == vis then
        pick, status = previous, 'RETURNED'
    else
        local lru = redis.call('ZRANGE', free, 0, 0)
        pick = lru[1]
    end
    if pick then
        redis.call('ZREM', free, pick)
        start(sid, pick, vis, expiry, '0', ARGV[10])
        return { status, pick, expiry, 0 }
    end
    redis.call('HINCRBY', meta, 'exhaustions', 1)
    if policy == 'SHARE' then
        local leastActive = redis.call('ZRANGE', busy, 0, 0)[1]
        if leastActive then
            start(sid, leastActive, vis, expiry, '1', ARGV[10])
            return { 'SHARED', leastActive, expiry, 1 }
        end
    end
    return { 'EXHAUSTED' }
elseif op == 'ping' then
    -- ARGV 5 session, 6 hold ms, 7 reclaim limit
    if redis.call('EXISTS', meta) == 0 then
        return { 'NOPOOL' }
    end
    reclaim(tonumber(ARGV[7]))
    local rec = redis.call('HGET', lease, ARGV[5])
    if not rec then
        return { 'GONE' }
    end
    return renew(ARGV[5], rec, now + tonumber(ARGV[6]))
elseif op == 'release' then
    -- ARGV 5 session
    local held = redis.call('HEXISTS', lease, ARGV[5])
    endLease(ARGV[5], now)
    return { held == 1 and 'RELEASED' or 'GONE' }
elseif op == 'reclaim' then
    -- ARGV 5 limit
    return { 'RECLAIMED', reclaim(tonumber(ARGV[5])) }
elseif op == 'sync' then
    -- ARGV 5 'last' when this chunk completes the pool, then triples: number, A(ctive)|B(locked), release ms
    for i = 6, #ARGV, 3 do
        local number = ARGV[i]
        if ARGV[i + 1] == 'A' then
            redis.call('SREM', blocked, number)
            if not redis.call('ZSCORE', busy, number) then
                redis.call('ZADD', free, 'NX', ARGV[i + 2], number)
            end
        else
            redis.call('SADD', blocked, number)
            redis.call('ZREM', free, number)
        end
    end
    if ARGV[5] == 'last' then
        redis.call('HSET', meta, 'synced', ARGV[2])
    end
    return { 'SYNCED' }
elseif op == 'restore' then
    -- ARGV 5.. live leases from PostgreSQL after Redis lost them: session, number, visitor, start, seen, expiry, shared
    local restored = 0
    for i = 5, #ARGV, 7 do
        local sid, number, expiry = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 5])
        if expiry > now and redis.call('HEXISTS', lease, sid) == 0 then
            redis.call('HSET', lease, sid, record(number, ARGV[i + 2], ARGV[i + 3], ARGV[i + 6],
                tonumber(ARGV[i + 4]), tonumber(ARGV[i + 4])))
            redis.call('ZADD', sess, expiry, sid)
            redis.call('ZADD', busy, 'GT', expiry, number)
            redis.call('HINCRBY', holders, number, 1)
            redis.call('HSET', last, number, ARGV[i + 2])
            redis.call('ZREM', free, number)
            restored = restored + 1
        end
    end
    return { 'RESTORED', restored }
end
return redis.error_reply('unknown pool op ' .. tostring(op))
