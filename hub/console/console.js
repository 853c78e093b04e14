// The staff console: log in; guides take help requests from the queue (远程导办), see the terminal's masked
// mirror, point, send messages, and operate the screen once the citizen allows it; reviewers decide
// applications (review.js); operators run the fleet (fleet.js), edit the catalogue (catalogue.js) and read the 评价 report
// (ratings.js); admins manage accounts (staff.js). The hub
// enforces each role; the page only shows what the role may use.
// Plain DOM, no framework; every string in zh-CN and en-US.
'use strict';

const WORDS = {
  title: ['政务服务工作台', 'Government service console'],
  tab_guide: ['远程导办', 'Remote guidance'],
  tab_review: ['审批', 'Review'],
  locked: ['密码错误次数过多，账号已锁定 15 分钟。', 'Too many wrong passwords: the account is locked for 15 minutes.'],
  logout: ['退出登录', 'Log out'],
  login: ['工作人员登录', 'Staff login'],
  username: ['用户名', 'User name'],
  password: ['密码', 'Password'],
  signin: ['登录', 'Log in'],
  wrong_login: ['用户名或密码不正确。', 'Wrong user name or password.'],
  hub_down: ['连不上服务器，请稍后再试。', 'Cannot reach the server; try again shortly.'],
  queue: ['等待协助', 'Waiting for help'],
  queue_empty: ['暂时没有求助。', 'No one is asking for help.'],
  accept: ['接入', 'Accept'],
  session: ['正在协助', 'Helping'],
  click_does: ['点击画面时', 'Clicking the screen'],
  mode_point: ['指示（终端上高亮）', 'points (highlights it on the terminal)'],
  mode_tap: ['替市民点击', 'taps it for the citizen'],
  message: ['发送提示', 'Message'],
  send: ['发送', 'Send'],
  type_label: ['替市民输入（非个人信息）', 'Type for the citizen (not personal data)'],
  type: ['输入', 'Type'],
  ask_control: ['请求操作', 'Request control'],
  release_control: ['交还操作', 'Hand back control'],
  end: ['结束协助', 'End'],
  log: ['记录', 'Log'],
  who: ['工作人员：{name}（工号 {number}）', 'Staff: {name} (no. {number})'],
  waiting_since: ['已等 {min} 分钟', 'waiting {min} min'],
  waiting_now: ['刚刚', 'just now'],
  speaks: ['市民语言：{lang}', "citizen's language: {lang}"],
  phase_awaiting_consent: ['已接入，等待市民同意查看屏幕…', 'Accepted; waiting for the citizen to allow viewing…'],
  phase_viewing: ['正在查看（市民已同意）。点击画面可指示。', 'Viewing (the citizen allowed it). Click the screen to point.'],
  phase_awaiting_control: ['已请求操作，等待市民同意…', 'Control requested; waiting for the citizen…'],
  phase_control: ['市民已允许您操作屏幕。市民可随时收回。', 'The citizen let you operate the screen. They can take it back at any time.'],
  phase_reconnecting: ['终端连接中断，操作权已结束，等待终端重新连接…', 'The terminal dropped its connection; control ended; waiting for it to come back…'],
  mirror_empty: ['市民同意后，这里显示终端画面（个人信息已遮盖）。', 'The terminal screen shows here once the citizen allows it (personal data masked).'],
  mirror_label: ['终端画面', 'Terminal screen'],
  shape_preview: ['打印预览（不外传）', 'Print preview (not sent)'],
  shape_button: ['按钮', 'Button'],
  shape_tile: ['选项', 'Choice'],
  shape_input: ['填写框', 'Field'],
  shape_key: ['按键', 'Key'],
  shape_masked: ['已遮盖', 'Masked'],
  shape_text: ['文字', 'Text'],
  ended_citizen: ['市民结束了协助。', 'The citizen ended the session.'],
  ended_declined: ['市民没有同意查看屏幕。', 'The citizen did not allow viewing.'],
  ended_staff: ['您结束了协助。', 'You ended the session.'],
  ended_staff_left: ['工作台断开，协助已结束。', 'The console disconnected; the session ended.'],
  ended_session_end: ['市民已离开终端，协助结束。', 'The citizen left the terminal; the session ended.'],
  ended_terminal_left: ['终端没有回来，协助结束。', 'The terminal did not come back; the session ended.'],
  gone: ['该求助已被其他工作人员接入或已取消。', 'Someone else took that request, or it was cancelled.'],
  refused_no_control: ['市民尚未允许操作。', 'The citizen has not allowed control.'],
  refused_screen_changed: ['画面已变化，请在新画面上重试。', 'The screen changed; try again on the new one.'],
  refused_personal_field: ['这是个人信息，只能由市民本人输入。', 'That is personal data: only the citizen can enter it.'],
  refused_no_field: ['当前画面没有可输入的地方。', 'Nothing on this screen takes text.'],
  refused_no_consent: ['市民尚未允许查看。', 'The citizen has not allowed viewing.'],
  pointed: ['已指示：{text}', 'Pointed at: {text}'],
  tapped: ['已点击：{text}', 'Tapped: {text}'],
  said: ['已发送：{text}', 'Sent: {text}'],
  disconnected: ['与服务器的连接断开，正在重连…', 'Connection to the server lost; reconnecting…'],
  lang_zh: ['中文', 'Chinese'],
  lang_en: ['英文', 'English'],
};
const SCREENS = {
  attract: ['待机页', 'attract'], home: ['首页', 'home'], guide: ['办事指南', 'guide'],
  card: ['读身份证', 'ID card'], print: ['证照打印', 'printing'], progress: ['办件查询', 'progress'],
  documents: ['证照列表', 'documents'], ticket: ['排队取号', 'queue ticket'], rating: ['好差评', 'rating'],
  help: ['求助', 'help'],
};

const state = { lang: 0, ws: null, session: null, phase: null, mirror: null, pointed: null, staff: null, queue: [] };
const $ = (id) => document.getElementById(id);

function t(key, args) {
  let text = (WORDS[key] || [key, key])[state.lang];
  for (const [name, value] of Object.entries(args || {})) text = text.replace('{' + name + '}', value);
  return text;
}

function translate() {
  document.documentElement.lang = state.lang ? 'en-US' : 'zh-CN';
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  $('lang').textContent = state.lang ? '中文' : 'English';
  $('lang').lang = state.lang ? 'zh-CN' : 'en';
  $('mirror').setAttribute('aria-label', t('mirror_label'));
  $('mirror').dataset.empty = t('mirror_empty');
  if (state.staff) $('who').textContent = t('who', state.staff);
  renderQueue();
  renderPhase();
  if (window.reviewDesk) window.reviewDesk.render();
  if (window.staffDesk) window.staffDesk.render();
  if (window.fleetDesk) window.fleetDesk.render();
  if (window.ratingsDesk) window.ratingsDesk.render();
  if (window.catalogueDesk) window.catalogueDesk.render();
}

function note(text) {
  const li = document.createElement('li');
  li.textContent = new Date().toLocaleTimeString() + ' ' + text;
  $('log').prepend(li);
}

// A call to the hub's console API: a GET, or with `body` a POST carrying the login's anti-forgery token
// (the hub refuses a change without it). The answer's JSON, or an Error with the hub's words and status.
async function consoleCall(url, body) {
  const options = body === undefined ? {} : {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': state.staff ? state.staff.csrf : '' },
    body: JSON.stringify(body),
  };
  const reply = await fetch(url, options).catch(() => null);
  if (!reply) throw new Error(t('hub_down'));
  if (!reply.ok) {
    const error = await reply.json().catch(() => ({ error: String(reply.status) }));
    const failure = new Error(error.error);
    failure.status = reply.status;
    throw failure;
  }
  return reply.json();
}

function send(message) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
}

// --- login -------------------------------------------------------------------------------------------

async function start() {
  const me = await fetch('/console/me').catch(() => null);
  if (me && me.ok) {
    state.staff = await me.json();
    showDesk();
  } else {
    $('login').hidden = false;
    $('desk').hidden = true;
    $('logout').hidden = true;
    $('username').focus();
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const body = JSON.stringify({ username: $('username').value, password: $('password').value });
  const reply = await fetch('/console/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => null);
  $('password').value = '';
  if (!reply) { $('login-error').textContent = t('hub_down'); return; }
  if (!reply.ok) { $('login-error').textContent = t(reply.status === 429 ? 'locked' : 'wrong_login'); return; }
  start();
});

$('logout').addEventListener('click', async () => {
  if (state.ws) { state.ws.onclose = null; state.ws.close(); }
  await fetch('/console/logout', { method: 'POST', headers: { 'x-csrf-token': state.staff ? state.staff.csrf : '' } }).catch(() => null);
  location.reload();
});

$('lang').addEventListener('click', () => { state.lang = 1 - state.lang; translate(); });

const role = (...roles) => () => state.staff && roles.includes(state.staff.role);
const guides = role('guide', 'admin');
const reviews = role('reviewer', 'admin');
const operates = role('operator', 'admin');
const admins = role('admin');

// Each tab: its section, who may use it, and the desk that fills it when opened.
const TABS = {
  guide: { section: 'desk', may: guides },
  review: { section: 'review', may: reviews, desk: () => window.reviewDesk },
  fleet: { section: 'fleet', may: operates, desk: () => window.fleetDesk },
  catalogue: { section: 'catalogue', may: operates, desk: () => window.catalogueDesk },
  ratings: { section: 'ratings', may: operates, desk: () => window.ratingsDesk },
  staff: { section: 'staff', may: admins, desk: () => window.staffDesk },
};

function showDesk() {
  $('login').hidden = true;
  $('logout').hidden = false;
  const mine = Object.keys(TABS).filter((name) => TABS[name].may());
  $('tabs').hidden = mine.length < 2;
  for (const name of Object.keys(TABS)) $('tab-' + name).hidden = !mine.includes(name);
  showTab(mine.includes(state.tab) ? state.tab : mine[0]);
  translate();
  if (guides() && !state.ws) connect();
}

function showTab(tab) {
  const leaving = TABS[state.tab] && TABS[state.tab].desk && TABS[state.tab].desk();
  if (state.tab !== tab && leaving && leaving.close) leaving.close();
  state.tab = tab;
  for (const [name, info] of Object.entries(TABS)) {
    $(info.section).hidden = tab !== name;
    $('tab-' + name).classList.toggle('current', tab === name);
  }
  const desk = TABS[tab] && TABS[tab].desk && TABS[tab].desk();
  if (desk) desk.open();
}
for (const name of Object.keys(TABS)) $('tab-' + name).addEventListener('click', () => showTab(name));

// --- the connection ----------------------------------------------------------------------------------

function connect() {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/console/ws');
  state.ws = ws;
  ws.onmessage = (event) => receive(JSON.parse(event.data));
  ws.onclose = () => {
    state.ws = null;
    if (state.session) endSession(null);
    note(t('disconnected'));
    setTimeout(start, 2000);
  };
}

function receive(message) {
  switch (message.t) {
    case 'hello': Object.assign(state.staff, message.staff); $('who').textContent = t('who', state.staff); break;
    case 'queue': state.queue = message.waiting; renderQueue(); break;
    case 'phase':
      state.session = message.session;
      state.phase = message.phase;
      $('session-pane').hidden = false;
      renderPhase();
      break;
    case 'mirror': state.mirror = message; renderMirror(); break;
    case 'finger':
      if (state.mirror && state.mirror.frame === message.frame) { state.mirror.finger = message.item; markFinger(); }
      break;
    case 'refused': note(t('refused_' + message.why)); break;
    case 'gone': note(t('gone')); break;
    case 'ended': note(t('ended_' + message.by)); endSession(message.by); break;
  }
}

// --- the queue ---------------------------------------------------------------------------------------

function renderQueue() {
  const list = $('queue');
  list.replaceChildren();
  $('queue-empty').hidden = state.queue.length > 0;
  for (const request of state.queue) {
    const li = document.createElement('li');
    const info = document.createElement('div');
    const screen = SCREENS[request.screen] ? SCREENS[request.screen][state.lang] : request.screen;
    const head = document.createElement('strong');
    head.textContent = request.hall + ' · ' + screen + (request.problem ? ' · ' + request.problem : '');
    const minutes = Math.floor((Date.now() - request.since_ms) / 60000);
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = (minutes < 1 ? t('waiting_now') : t('waiting_since', { min: minutes })) + ' · ' +
      t('speaks', { lang: t(request.lang === 'en-US' ? 'lang_en' : 'lang_zh') }) + ' · ' + request.device;
    info.append(head, meta);
    const accept = document.createElement('button');
    accept.type = 'button';
    accept.className = 'accept';
    accept.textContent = t('accept');
    accept.disabled = state.session !== null;
    accept.addEventListener('click', () => send({ t: 'accept', session: request.session }));
    li.append(info, accept);
    list.append(li);
  }
}

// --- the session -------------------------------------------------------------------------------------

function renderPhase() {
  if (!state.phase) return;
  const phase = $('phase');
  phase.textContent = t('phase_' + state.phase);
  phase.className = state.phase;
  document.body.dataset.phase = state.phase;
  const control = state.phase === 'control';
  $('mode-tap').disabled = !control;
  if (!control) document.querySelector('input[name=mode][value=point]').checked = true;
  $('type-form').hidden = !control;
  $('ask-control').hidden = control;
  $('ask-control').disabled = state.phase !== 'viewing';
  $('release-control').hidden = !control;
  renderQueue();
  if (!state.mirror) renderMirror();
}

/// The mirror's shapes (`k`), as the page's classes name them.
const SHAPES = { b: 'button', t: 'tile', f: 'input', k: 'key', m: 'masked', p: 'preview' };

function renderMirror() {
  const box = $('mirror');
  const mirror = state.mirror;
  box.replaceChildren();
  if (!mirror) {
    box.className = 'empty';
    box.style.width = '360px';
    box.style.height = '480px';
    return;
  }
  box.className = '';
  const room = Math.min(560, $('mirror-box').clientWidth - 16 || 560);
  const scale = Math.min(room / mirror.width, 640 / mirror.height);
  box.style.width = Math.round(mirror.width * scale) + 'px';
  box.style.height = Math.round(mirror.height * scale) + 'px';
  const inside = (outer, inner) => inner[0] >= outer[0] && inner[1] >= outer[1] &&
    inner[0] + inner[2] <= outer[0] + outer[2] && inner[1] + inner[3] <= outer[1] + outer[3];
  const shapes = mirror.items.filter((item) => item.k);
  mirror.items.forEach((item, index) => {
    const [x, y, w, h] = item.b;
    const node = document.createElement('button');
    node.type = 'button';
    const kind = SHAPES[item.k] || 'text';
    // A shape's words: the texts drawn inside it (a masked box and the print preview say what they are).
    const words = item.k === 'p' ? t('shape_preview') : item.k === 'm' ? item.s :
      item.k ? mirror.items.filter((o) => !o.k && inside(item.b, o.b)).map((o) => o.s).join(' ') : item.s;
    node.className = 'item ' + kind + (item.f ? ' field' : '');
    // A label inside an outline: pointing at it or tapping it points at or taps the (smallest) outline.
    const around = item.k ? null : shapes.filter((o) => inside(o.b, item.b))
      .sort((a, b) => a.b[2] * a.b[3] - b.b[2] * b.b[3])[0];
    const target = around ? mirror.items.indexOf(around) : index;
    if (around) node.classList.add('label');
    node.dataset.item = index;
    node.textContent = item.k === 'p' || item.k === 'm' ? words : item.k ? '' : item.s;
    node.title = words || t('shape_' + kind);
    node.style.left = x * scale + 'px';
    node.style.top = y * scale + 'px';
    node.style.width = Math.max(w * scale, 4) + 'px';
    node.style.height = Math.max(h * scale, 4) + 'px';
    node.style.fontSize = (item.k ? Math.min(Math.max(h * scale * 0.5, 6), 16) : Math.max(h * scale * 0.75, 6)) + 'px';
    node.addEventListener('click', () => act(target, words || t('shape_' + kind)));
    box.append(node);
  });
  markFinger();
  // For the latency figure: when this frame reached the page.
  window.lastMirror = { frame: mirror.frame, at: performance.timeOrigin + performance.now() };
  document.body.dataset.frame = mirror.frame;
  document.body.dataset.screen = mirror.screen;
}

function markFinger() {
  for (const node of $('mirror').querySelectorAll('.item')) {
    node.classList.toggle('finger', Number(node.dataset.item) === state.mirror.finger);
    node.classList.toggle('pointed', Number(node.dataset.item) === state.pointed);
  }
}

function act(index, text) {
  if (!state.mirror) return;
  const tap = document.querySelector('input[name=mode]:checked').value === 'tap' && state.phase === 'control';
  send({ t: tap ? 'tap' : 'point', frame: state.mirror.frame, item: index });
  state.pointed = tap ? null : index;
  markFinger();
  note(t(tap ? 'tapped' : 'pointed', { text }));
}

function endSession() {
  state.session = null;
  state.phase = null;
  state.mirror = null;
  state.pointed = null;
  delete document.body.dataset.phase;
  $('session-pane').hidden = true;
  renderQueue();
}

$('say-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('say').value.trim();
  if (!text) return;
  send({ t: 'say', text });
  note(t('said', { text }));
  $('say').value = '';
});
$('type-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('type').value.trim();
  if (text) send({ t: 'type', text });
  $('type').value = '';
});
$('ask-control').addEventListener('click', () => send({ t: 'ask_control' }));
$('release-control').addEventListener('click', () => send({ t: 'release_control' }));
$('end').addEventListener('click', () => send({ t: 'end' }));

translate();
start();
