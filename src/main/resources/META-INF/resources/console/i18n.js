// English is the key; Russian translates it. Numbers, money and dates follow the chosen locale's conventions.
const RU = {
  'Overview': 'Обзор', 'Calls': 'Звонки', 'Channels': 'Каналы', 'Funnel and people': 'Воронка и сотрудники',
  'Pools': 'Пулы', 'Telephony': 'Телефония', 'Settings': 'Настройки', 'Sign out': 'Выйти', 'Sign in': 'Войти',
  'API key': 'API-ключ', 'Sign in with an API key. The key is exchanged for a session and is not kept in the browser.':
    'Войдите с API-ключом. Ключ обменивается на сессию и не хранится в браузере.',
  'Today': 'Сегодня', 'Last 7 days': 'Последние 7 дней', 'Last 30 days': 'Последние 30 дней',
  'answered': 'отвечено', 'missed': 'пропущено', 'first-time callers': 'новых абонентов', 'calls': 'звонков',
  'Calls by medium, last 30 days': 'Звонки по каналам за 30 дней', 'Revenue by day, last 30 days': 'Выручка по дням за 30 дней',
  'Needs attention': 'Требует внимания', 'Nothing needs attention.': 'Всё в порядке.',
  'Pool {id}: {free} of {size} numbers free, {ex} exhaustions': 'Пул {id}: свободно {free} из {size} номеров, исчерпаний: {ex}',
  'Pool {id}: {size} numbers, {rec} recommended': 'Пул {id}: {size} номеров, рекомендуется {rec}',
  'PBX {id}: no replica is listening': 'АТС {id}: ни одна реплика не слушает',
  'Webhook {url}: {n} deliveries parked': 'Вебхук {url}: отложенных доставок: {n}',
  'From': 'С', 'To': 'По', 'Site': 'Сайт', 'Pool': 'Пул', 'Source': 'Источник', 'Medium': 'Канал', 'Campaign': 'Кампания',
  'Keyword': 'Ключевое слово', 'Disposition': 'Результат', 'Attribution': 'Атрибуция', 'Repeat': 'Повторный',
  'Answered': 'Отвечен', 'any': 'любой', 'yes': 'да', 'no': 'нет', 'Apply': 'Применить', 'More': 'Ещё',
  'Download CSV': 'Скачать CSV', 'Started': 'Начало', 'Caller': 'Абонент', 'Number': 'Номер', 'Talk': 'Разговор',
  'Confidence': 'Уверенность', 'Outcome': 'Итог', 'No calls match.': 'Звонков нет.', 'Call {id}': 'Звонок {id}',
  'The call': 'Звонок', 'The visit': 'Визит', 'Lease timeline of {n}': 'История аренды номера {n}',
  'Who answered': 'Кто ответил', 'Missed by': 'Пропустили', 'Missed': 'Пропущено', 'Ring': 'Ожидание', 'Ended': 'Конец', 'Landing page': 'Страница входа',
  'Referrer': 'Реферер', 'Click ids': 'Идентификаторы кликов', 'Probability': 'Вероятность', 'Method': 'Метод',
  'Provisional: scored again as the pool learns, up to 72 h after the ring':
    'Предварительно: пересчитывается по мере обучения модели пула, до 72 ч после звонка',
  'Why': 'Почему', 'Held from': 'Удерживался с', 'Last seen': 'Последняя активность', 'Released': 'Освобождён',
  'Status': 'Статус', 'Value': 'Сумма', 'Currency': 'Валюта', 'Deal id': 'ID сделки', 'Lost reason': 'Причина отказа',
  'Save outcome': 'Сохранить итог', 'Saved.': 'Сохранено.', 'not set': 'не задан',
  'Group by': 'Группировать по', 'Time zone': 'Часовой пояс', 'Metric': 'Показатель', 'Visits': 'Визиты',
  'Unique callers': 'Уникальные абоненты', 'Leads': 'Лиды', 'Deals': 'Сделки', 'Revenue': 'Выручка', 'Spend': 'Расходы',
  'Cost per call': 'Цена звонка', 'Cost per lead': 'Цена лида', 'Cost per customer': 'Цена клиента', 'ROMI': 'ROMI',
  'Total': 'Итого', '{n} more': 'Ещё {n}', '{metric} by day': '{metric} по дням', 'Upload spend (CSV)': 'Загрузить расходы (CSV)',
  'Upload': 'Загрузить', '{n} spend rows stored.': 'Сохранено строк расходов: {n}.',
  'Funnel by channel': 'Воронка по каналам', 'Operators': 'Операторы', 'Lost deals by reason': 'Отказы по причинам',
  'Operator': 'Оператор', 'Average ring, s': 'Среднее ожидание, с', 'Talk time': 'Время разговоров', 'Reason': 'Причина',
  'Lost': 'Отказы', 'First-time callers': 'Новые абоненты', 'Conversion': 'Конверсия',
  'Size': 'Размер', 'Draining': 'Выводятся', 'Quarantined': 'На карантине', 'Free': 'Свободно', 'Leased': 'В аренде', 'Exhaustions': 'Исчерпания', 'Recommended': 'Рекомендуется',
  'Expected accuracy': 'Ожидаемая точность', 'At least (95%)': 'Не ниже (95%)', 'Kind': 'Тип', 'Pool {id}': 'Пул {id}', 'Numbers': 'Номера',
  'State': 'Состояние', 'Holder': 'Держатель', 'Last release': 'Последнее освобождение', 'Actions': 'Действия',
  'drain': 'вывести', 'quarantine': 'карантин', 'activate': 'включить', 'Add number': 'Добавить номер', 'Add': 'Добавить',
  'Pool size and expected accuracy': 'Размер пула и ожидаемая точность', 'current': 'текущий', 'recommended': 'рекомендуемый',
  'Sizing inputs': 'Исходные данные расчёта', 'Live state': 'Текущее состояние', 'Peak leased, last day': 'Пик аренды за сутки',
  'PBX': 'АТС', 'Address': 'Адрес', 'Link': 'Соединение', 'Listening replica': 'Слушающая реплика',
  'Events per second': 'Событий в секунду', 'Last event': 'Последнее событие', 'Last call': 'Последний звонок',
  'Reconnects': 'Переподключения', 'Configuration in force': 'Действующая конфигурация',
  'Check a number-pool.yaml': 'Проверить number-pool.yaml', 'Check': 'Проверить', 'Reload from file': 'Перечитать файл',
  'The file is valid: {sites} sites, {pools} pools.': 'Файл корректен: сайтов {sites}, пулов {pools}.',
  'line {line}': 'строка {line}', 'API keys': 'API-ключи', 'Name': 'Название', 'Role': 'Роль', 'Last used': 'Использован',
  'Revoke': 'Отозвать', 'revoked': 'отозван', 'Create key': 'Создать ключ',
  'New key (shown once): {secret}': 'Новый ключ (показан один раз): {secret}', 'Webhooks': 'Вебхуки', 'Events': 'События',
  'Create webhook': 'Создать вебхук', 'Deliveries': 'Доставки', 'Attempts': 'Попытки', 'Last error': 'Последняя ошибка',
  'Replay': 'Повторить', 'Delete': 'Удалить', 'all sites': 'все сайты', 'or upload a file': 'или загрузите файл',
  'Loading…': 'Загрузка…', 'Not allowed with this key.': 'С этим ключом недоступно.', 'Refresh': 'Обновить',
  'Signing in…': 'Вход…', 'Session ended: sign in again.': 'Сессия завершена: войдите снова.',
  'Utilisation, last 24 hours': 'Загрузка за 24 часа', 'Peak numbers leased': 'Пик номеров в аренде',
  'Last upload: {when}, {n} rows, {from} – {to}': 'Последняя загрузка: {when}, строк: {n}, {from} – {to}',
  'No spend uploaded yet.': 'Расходы ещё не загружались.', 'Figures as of {when}': 'Данные на {when}', 'read': 'чтение', 'write': 'запись', 'admin': 'администратор', 'Language': 'Язык',
  'The console session\'s key decides what is shown and allowed.': 'Что видно и что разрешено, решает ключ сессии.',
};
const DICTS = { en: {}, ru: RU };
const LOCALES = { en: 'en-GB', ru: 'ru-RU' };
let lang = localStorage.getItem('ct_lang') === 'ru' ? 'ru' : (localStorage.getItem('ct_lang') ? 'en'
  : (navigator.language || '').toLowerCase().startsWith('ru') ? 'ru' : 'en');

export function language() { return lang; }
export function setLanguage(l) { lang = DICTS[l] ? l : 'en'; localStorage.setItem('ct_lang', lang); document.documentElement.lang = lang; }
export function t(text, args) {
  const s = DICTS[lang][text] || text;
  return args ? s.replace(/\{(\w+)\}/g, (m, k) => (args[k] === undefined || args[k] === null ? '' : String(args[k]))) : s;
}
const locale = () => LOCALES[lang];
export function num(n, digits) {
  if (n === null || n === undefined || n === '') return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits === undefined ? 0 : digits, minimumFractionDigits: digits || 0 }).format(Number(n));
}
export function money(n) { return n === null || n === undefined ? '–' : num(n, 2); }
export function pct(x, digits) { return x === null || x === undefined || !isFinite(x) ? '–'
  : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits === undefined ? 1 : digits }).format(x); }
export function when(iso) {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}
export function day(iso) { return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: 'short' }).format(new Date(iso + 'T12:00:00Z')); }
/** An ISO-8601 duration (PT1H30M) as the locale writes it, roughly. */
export function duration(iso) {
  if (!iso) return '–';
  const m = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) return iso;
  const secs = (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0));
  return seconds(secs);
}
export function seconds(s) {
  if (s === null || s === undefined) return '–';
  const unit = (v, u) => new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
  return s >= 86400 ? unit(s / 86400, 'day') : s >= 3600 ? unit(s / 3600, 'hour') : s >= 60 ? unit(s / 60, 'minute') : unit(s, 'second');
}
