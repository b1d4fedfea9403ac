-- The pool engine: every change to a dynamic pool's live state, atomically, in one slot.
-- All keys share the pool's hash tag (ct:{pool:ID}:...), so this runs unchanged on Redis Cluster.
-- Every op is O(log n) in pool size (sync/restore take a chunk of numbers). The hot path is kept to
-- as few redis.call()s as possible (each costs about a microsecond inside Redis) and keeps times as the
-- strings it was given: a Lua number turned into a string costs about half a microsecond.
--
-- KEYS  1 free     ZSET number -> release time (ms); lowest = released longest ago (the LRU pick), 0 = never used
--       2 sess     ZSET session -> lease expiry (ms) = last activity + hold; lowest = least recently active
--       3 lease    HASH session -> "number|visitor|startMs|shared|loggedMs|ip" (ip '' for internal callers
--                  and restored leases: not counted in `held`)
--       4 shared   HASH number -> sessions holding it, only while more than one does (exhaustion 'share');
--                  the leases of a shared number carry shared=1, so an unshared release never looks here
--       5 last     HASH number -> visitor who held it last ("nobody has held it since" check)
--       6 meta     HASH counters; its absence means the pool must be (re)built from PostgreSQL
--       7 blocked  SET numbers not to issue (draining or quarantined)
--       8 known    SET every number synced into the pool (tells a new number from a leased one)
--       9 events   STREAM lease history for PostgreSQL, one entry per script call: field d = its lease lines,
--                  newline-separated, each "kind|session|number|visitor|startMs|seenMs|endMs|shared"; plus
--                  field j (the visit's record, JSON) when the call starts a session's first lease, whose line
--                  is then the last. The stream is trimmed by the sweeper, not here (trimming costs every call).
--      10 limits   HASH new leases per client IP (ip:...) and per visitor (v:...) in the current minute
--                  (the key name carries the minute; old windows are deleted by the sweeper)
--      11 held     HASH leases held now per client IP (ip:...) and per visitor (v:...), for leases that carry an ip
-- ARGV  1 op, 2 now (ms), 3 minimum ms between 'seen' entries, 4 hold (ms), 5 now + hold (ms), 6.. per op

local free, sess, lease, shared, last, meta, blocked, known, events, limits, held =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local op, now, logEvery, hold, renewed = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]

-- Each line carries the whole lease as known now, so PostgreSQL can upsert lines in any order. The lines
-- of one call go out in one XADD at its end: one stream entry costs about as much as one line.
local lines = {}
local function log(kind, sid, number, vis, started, seen, ended, isShared)
    lines[#lines + 1] = kind .. '|' .. sid .. '|' .. number .. '|' .. vis .. '|' .. started .. '|' .. seen .. '|' .. ended .. '|' .. isShared
end

local function parse(rec)
    return string.match(rec, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|?([^|]*)$')
end

local function record(number, vis, started, isShared, logged, ip)
    return number .. '|' .. vis .. '|' .. started .. '|' .. isShared .. '|' .. logged .. '|' .. ip
end

-- Counts a lease in (1) or out of (-1) what its IP and visitor hold now
local function countHeld(ip, vis, by)
    for _, field in ipairs({ 'ip:' .. ip, 'v:' .. vis }) do
        if redis.call('HINCRBY', held, field, by) <= 0 then
            redis.call('HDEL', held, field)
        end
    end
end

-- Ends a session's lease at `at` (its expiry was `expiry`, so its last activity was expiry - hold). The
-- number goes back to the free set, ranked by `at` behind every number released earlier, once its last
-- holder is gone, unless it is blocked. Both times are strings, as Redis and the caller gave them.
local function endLease(sid, at, expiry)
    local rec = redis.call('HGET', lease, sid)
    if not rec then
        return
    end
    local number, vis, started, isShared, _, ip = parse(rec)
    redis.call('HDEL', lease, sid)
    redis.call('ZREM', sess, sid)
    if ip ~= '' then
        countHeld(ip, vis, -1)
    end
    local holders = isShared == '1' and tonumber(redis.call('HGET', shared, number) or '1') or 1
    if holders > 2 then
        redis.call('HINCRBY', shared, number, -1)
    elseif holders == 2 then
        redis.call('HDEL', shared, number)
    elseif redis.call('SISMEMBER', blocked, number) == 0 then
        redis.call('ZADD', free, at, number)
    end
    -- its last activity: the expiry less the hold, or its start for a provisional lease that never pinged
    log('end', sid, number, vis, started, string.format('%d', math.max(tonumber(started), tonumber(expiry) - hold)), at, isShared)
end

-- number -> true for every leased number: O(leases), only for the rare ops that need it
local function leasedNumbers()
    local leased = {}
    for _, rec in ipairs(redis.call('HVALS', lease)) do
        leased[parse(rec)] = true
    end
    return leased
end

-- Sessions looked at for the least-shared number when a 'share' pool is exhausted
local SHARE_CANDIDATES = 32

local function addHolder(number)
    redis.call('HINCRBY', shared, number, redis.call('HEXISTS', shared, number) == 1 and 1 or 2)
end

local function reclaim(limit)
    local expired = redis.call('ZRANGEBYSCORE', sess, '-inf', ARGV[2], 'WITHSCORES', 'LIMIT', 0, limit)
    for i = 1, #expired, 2 do
        endLease(expired[i], expired[i + 1], expired[i + 1])
    end
    return #expired / 2
end

local function renew(sid, rec)
    local number, vis, started, isShared, logged, ip = parse(rec)
    redis.call('ZADD', sess, renewed, sid)
    if now - tonumber(logged) >= logEvery then
        log('seen', sid, number, vis, started, ARGV[2], '', isShared)
        redis.call('HSET', lease, sid, record(number, vis, started, isShared, ARGV[2], ip))
    end
    return { 'RENEWED', number, renewed, tonumber(isShared) }
end

-- A new lease is provisional: it expires at ARGV 15 (now + the shorter of the hold and the provisional hold)
-- until the page's first ping renews it for the whole hold. A browser running the script pings; a script
-- draining the pool or a crawler running no timers does not, and holds its numbers only that long.
local function start(sid, number, vis, isShared, ip)
    local expiry = ARGV[15] ~= nil and ARGV[15] ~= '' and ARGV[15] or renewed
    redis.call('HSET', lease, sid, record(number, vis, ARGV[2], isShared, ARGV[2], ip))
    if ip ~= '' then
        countHeld(ip, vis, 1)
    end
    redis.call('ZADD', sess, expiry, sid)
    redis.call('HSET', last, number, vis)
    log('start', sid, number, vis, ARGV[2], ARGV[2], '', isShared)
    return expiry
end

-- Answers the reply and, for a new session, the visit's record to log with its lease.
local function alloc()
    -- ARGV 6 session, 7 visitor, 8 exhaustion policy, 9 reclaim limit, 10 the number the visitor's browser
    -- says it held last here ('' if none): theirs again only if free and nobody has held it since,
    -- 11 client IP ('' for internal callers: not limited), 12 new leases allowed per IP per minute, 13 per visitor per minute (0: no limit),
    -- 14 the visit's record (JSON) to log with its first lease ('' if already logged), 15 a new lease's
    -- provisional expiry (ms; '' for the whole hold), 16 leases one IP may hold at once, 17 one visitor (0: no limit)
    local sid, vis, previous, visit, ip = ARGV[6], ARGV[7], ARGV[10], ARGV[14], ARGV[11]
    reclaim(tonumber(ARGV[9]))
    local rec = redis.call('HGET', lease, sid)
    if rec then
        return renew(sid, rec)
    end
    -- only new leases count against the limits: a script creating visitors must not drain the pool. Each
    -- limit of 0 is off on its own.
    -- limit. Holding limits (a share of the pool) keep one address or visitor from taking many numbers at once.
    local perIp, perVisitor = tonumber(ARGV[12]), tonumber(ARGV[13])
    local heldByIp, heldByVisitor = tonumber(ARGV[16] or '0'), tonumber(ARGV[17] or '0')
    if ip ~= '' and ((heldByIp > 0 and tonumber(redis.call('HGET', held, 'ip:' .. ip) or '0') >= heldByIp)
            or (heldByVisitor > 0 and tonumber(redis.call('HGET', held, 'v:' .. vis) or '0') >= heldByVisitor)
            or (perIp > 0 and redis.call('HINCRBY', limits, 'ip:' .. ip, 1) > perIp)
            or (perVisitor > 0 and redis.call('HINCRBY', limits, 'v:' .. vis, 1) > perVisitor)) then
        return { 'LIMITED' }
    end
    if previous ~= '' and redis.call('HGET', last, previous) == vis and redis.call('ZREM', free, previous) == 1 then
        return { 'RETURNED', previous, start(sid, previous, vis, '0', ip), 0 }, visit
    end
    local pick = redis.call('ZPOPMIN', free)[1]
    if pick then
        return { 'NEW', pick, start(sid, pick, vis, '0', ip), 0 }, visit
    end
    -- nothing free: either the pool is exhausted or Redis has lost it (restart, flush)
    if redis.call('EXISTS', meta) == 0 then
        return { 'NOPOOL' }
    end
    redis.call('HINCRBY', meta, 'exhaustions', 1)
    if ARGV[8] == 'SHARE' then
        -- the least-shared number among the least recently active sessions' (the first one still held alone
        -- wins), so overflow spreads over the pool instead of piling onto one number
        local best, bestHolders, bestRec
        for _, candidate in ipairs(redis.call('ZRANGE', sess, 0, SHARE_CANDIDATES - 1)) do
            local rec = redis.call('HGET', lease, candidate)
            local number, _, _, isShared = parse(rec)
            local holders = isShared == '1' and tonumber(redis.call('HGET', shared, number) or '1') or 1
            if not best or holders < bestHolders then
                best, bestHolders, bestRec = candidate, holders, rec
            end
            if holders == 1 then
                break
            end
        end
        if best then
            local number, holder, holderStart, holderShared, logged, holderIp = parse(bestRec)
            if holderShared == '0' then
                redis.call('HSET', lease, best, record(number, holder, holderStart, '1', logged, holderIp))
                log('seen', best, number, holder, holderStart, logged, '', '1')
            end
            addHolder(number)
            return { 'SHARED', number, start(sid, number, vis, '1', ip), 1 }, visit
        end
    end
    return { 'EXHAUSTED' }, visit
end

-- Ops other than alloc are branches, not functions: the whole script runs on every call, and every
-- function it defines costs time even when that call does not use it.
local reply, visit
if op == 'alloc' then
    reply, visit = alloc()
elseif op == 'ping' then
    -- ARGV 6 session, 7 reclaim limit
    reclaim(tonumber(ARGV[7]))
    local rec = redis.call('HGET', lease, ARGV[6])
    if rec then
        reply = renew(ARGV[6], rec)
    else
        reply = { redis.call('EXISTS', meta) == 0 and 'NOPOOL' or 'GONE' }
    end
elseif op == 'release' then
    -- ARGV 6 session
    local expiry = redis.call('ZSCORE', sess, ARGV[6])
    if expiry then
        endLease(ARGV[6], ARGV[2], expiry)
        reply = { 'RELEASED' }
    else
        reply = { 'GONE' }
    end
elseif op == 'reclaim' then
    -- ARGV 6 limit. The sweep runs this every second on every pool, so it also tells a pool Redis has lost
    -- (restart, flush): rebuilt then, not when the next visitor comes.
    local n = reclaim(tonumber(ARGV[6]))
    reply = { redis.call('EXISTS', meta) == 0 and 'NOPOOL' or 'RECLAIMED', n }
elseif op == 'sync' then
    -- ARGV 6 'last' when this chunk completes the pool, then triples: number, A(ctive)|B(locked), release ms.
    -- A new number joins the free set; an unblocked one too unless a lease still holds it (it joins on release).
    local leased
    for i = 7, #ARGV, 3 do
        local number = ARGV[i]
        local isNew = redis.call('SADD', known, number) == 1
        if ARGV[i + 1] == 'A' then
            local unblocked = redis.call('SREM', blocked, number) == 1
            if unblocked and not isNew then
                leased = leased or leasedNumbers()
            end
            if isNew or (unblocked and not leased[number]) then
                redis.call('ZADD', free, 'NX', ARGV[i + 2], number)
            end
        else
            redis.call('SADD', blocked, number)
            redis.call('ZREM', free, number)
        end
    end
    if ARGV[6] == 'last' then
        redis.call('HSET', meta, 'synced', ARGV[2])
    end
    reply = { 'SYNCED' }
elseif op == 'restore' then
    -- ARGV 6.. live leases from PostgreSQL after Redis lost them: session, number, visitor, start, seen, shared.
    -- Runs before sync, so restored numbers are known (not new) and stay out of the free set.
    local leased = leasedNumbers()
    local restored = 0
    for i = 6, #ARGV, 6 do
        local sid, number, expiry = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 4]) + hold
        if expiry > now and redis.call('HEXISTS', lease, sid) == 0 then
            redis.call('HSET', lease, sid, record(number, ARGV[i + 2], ARGV[i + 3], ARGV[i + 5], ARGV[i + 4], ''))
            redis.call('ZADD', sess, expiry, sid)
            redis.call('HSET', last, number, ARGV[i + 2])
            redis.call('SADD', known, number)
            redis.call('ZREM', free, number)
            if leased[number] then
                addHolder(number)
            end
            leased[number] = true
            restored = restored + 1
        end
    end
    reply = { 'RESTORED', restored }
else
    return redis.error_reply('unknown pool op ' .. tostring(op))
end

if visit and visit ~= '' then
    if #lines == 0 then
        redis.call('XADD', events, '*', 'j', visit)
    else
        redis.call('XADD', events, '*', 'd', table.concat(lines, '\n'), 'j', visit)
    end
elseif #lines > 0 then
    redis.call('XADD', events, '*', 'd', table.concat(lines, '\n'))
end
return reply
