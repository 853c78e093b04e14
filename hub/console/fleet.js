// The operators' page (运维; operators and admins, the hub refuses anyone else): the alerts, each with when it
// started and what to do, then every terminal by hall with its devices, records waiting, versions, last
// beat and the settings it refused; one terminal's commands and their answers (a masked screenshot, the
// log); the remote settings published for everyone, a hall or a terminal, and the operations audit.
// Read again every 5 s while the page is open. Halls with an alert open by themselves; the others
// open on a click (a city's thousands of terminals are drawn only where someone looks). Uses console.js's
// `state`, `t` and `$`.
'use strict';

Object.assign(WORDS, {
  tab_fleet: ['运维', 'Fleet'],
  alerts_title: ['告警', 'Alerts'],
  alerts_empty: ['没有告警：所有终端运行正常。', 'No alerts: every terminal is fine.'],
  col_level: ['级别', 'Level'],
  col_hall: ['大厅', 'Hall'],
  col_terminal: ['终端', 'Terminal'],
  col_alert: ['告警', 'Alert'],
  col_since: ['开始时间', 'Since'],
  col_todo: ['处理办法', 'What to do'],
  terminals_title: ['终端', 'Terminals'],
  fleet_filter: ['筛选（大厅或终端编号）', 'Filter (hall or terminal)'],
  level_critical: ['紧急', 'Critical'],
  level_warning: ['提醒', 'Warning'],
  fleet_summary: ['共 {n} 台：在线 {online}，待更新 {stale}，离线 {offline}。应运行：配置 v{config}，事项目录 v{catalogue}。',
    '{n} terminals: {online} online, {stale} updating, {offline} offline. Current: config v{config}, catalogue v{catalogue}.'],
  hall_line: ['{hall} · {n} 台', '{hall} · {n} terminals'],
  hall_alerts: ['{n} 条告警', '{n} alerts'],
  ago_s: ['{n} 秒前', '{n} s ago'],
  ago_m: ['{n} 分钟前', '{n} min ago'],
  ago_h: ['{n} 小时前', '{n} h ago'],
  never: ['从未', 'never'],
  th_terminal: ['终端', 'Terminal'],
  th_state: ['状态', 'State'],
  th_reader: ['读卡器', 'Reader'],
  th_printer: ['打印机', 'Printer'],
  th_camera: ['高拍仪', 'Camera'],
  th_card: ['遗留证件', 'Card left'],
  th_waiting: ['待上传', 'Waiting'],
  th_software: ['软件', 'Software'],
  th_config: ['配置', 'Config'],
  th_catalogue: ['目录', 'Catalogue'],
  th_beat: ['最后心跳', 'Last beat'],
  live_online: ['在线', 'online'],
  live_stale: ['待更新', 'updating'],
  live_offline: ['离线', 'offline'],
  card_yes: ['有', 'yes'],
  card_no: ['无', 'no'],
  // Alerts: what it is, and what to do (the same as the `action` of packaging/hub/kiosk-hub.rules.yml).
  alert_card_left: ['读卡区有遗留身份证', 'An ID card is left on the reader'],
  todo_card_left: ['请到该终端取走证件，交服务台保管并联系本人；取走后终端停止提示。',
    "Take the card to the hall's desk and keep it for its holder; the terminal stops saying so once it is taken."],
  alert_paper_out: ['打印机缺纸', 'Printer out of paper'],
  todo_paper_out: ['装入新纸卷（热敏纸，宽度见 kiosk.toml）并合上盖子，打印自动恢复。',
    'Put in a new roll (thermal, the width in kiosk.toml) and close the cover; printing comes back by itself.'],
  alert_paper_low: ['打印纸将尽', 'Paper near its end'],
  todo_paper_low: ['下次巡检时带上新纸卷。', 'Bring a new roll on the next round.'],
  alert_printer_fault: ['打印机故障', 'Printer fault'],
  todo_printer_fault: ['合上盖子，检查线缆和电源；终端上 kiosk printer status 说明原因。',
    'Close the cover, check its cable and power; `kiosk printer status` on the terminal says which.'],
  alert_reader_fault: ['身份证阅读器故障', 'ID card reader fault'],
  todo_reader_fault: ['检查阅读器 USB 线；在终端上运行 kiosk doctor 查看确切原因。',
    "Check the reader's USB cable; run `kiosk doctor` on the terminal for the exact cause."],
  alert_camera_fault: ['高拍仪故障', 'Document camera fault'],
  todo_camera_fault: ['检查高拍仪 USB 线；申报仍可用手机或电子证照提交材料。',
    "Check the camera's USB cable; applications can still take materials from the phone or the e-licence library."],
  alert_scanner_fault: ['扫码器故障', 'Code scanner fault'],
  todo_scanner_fault: ['检查扫码器 USB 线；在终端上运行 kiosk doctor 查看确切原因。其间群众可刷身份证登录、手输办件编号。',
    "Check the scanner's USB cable; run `kiosk doctor` on the terminal for the exact cause. Meanwhile citizens sign in with the card and type case numbers."],
  alert_silent: ['终端失联（连续 3 次无心跳）', 'Silent (three heartbeats missed)'],
  todo_silent: ['检查终端电源和网络；终端会保留记录，恢复后自动上传。',
    "Check the terminal's power and network; it keeps its records and sends them when it is back."],
  alert_records_waiting: ['记录超过 1 小时未上传', 'Records waiting over an hour'],
  todo_records_waiting: ['在终端上运行 kiosk sync status；kiosk doctor 说明是服务器、凭据还是网络的问题。',
    'Run `kiosk sync status` on the terminal; `kiosk doctor` says whether the hub, the credential or the network is at fault.'],
  alert_unknown_prints: ['打印结果不明', 'Print jobs of unknown outcome'],
  todo_unknown_prints: ['打印中途中断（断电或线缆）：终端上 kiosk sync status 可查；请大厅确认是否已出纸。',
    'A job stopped mid-way (power or cable): `kiosk sync status` on the terminal counts them; ask the hall whether the paper came out.'],
  alert_clock_skew: ['终端时钟偏差', 'Clock skew'],
  todo_clock_skew: ['在终端上开启时间同步（timedatectl set-ntp true）；回执和号票带有终端时间。',
    'Turn on time sync on the terminal (timedatectl set-ntp true); receipts and tickets carry its time.'],
  // Device states as terminals report them (`fault: paper out`).
  dev_ready: ['正常', 'ready'],
  dev_busy: ['忙', 'busy'],
  dev_starting: ['启动中', 'starting'],
  dev_warning: ['提醒', 'warning'],
  dev_fault: ['故障', 'fault'],
  dev_disabled: ['未启用', 'off'],
  'why_not configured': ['未配置', 'not configured'],
  'why_no driver': ['无驱动', 'no driver'],
  'why_not connected': ['未连接', 'not connected'],
  'why_paper low': ['纸将尽', 'paper low'],
  'why_paper out': ['缺纸', 'paper out'],
  'why_cover open': ['盖子未合', 'cover open'],
  why_offline: ['离线', 'offline'],
  'why_device error': ['设备错误', 'device error'],
  'why_no response': ['无响应', 'no response'],
  th_settings: ['设置', 'Settings'],
  th_ring: ['更新环', 'Ring'],
  ring_label: ['更新环（如 canary；留空为不分环）', 'Update ring (canary …; empty: none)'],
  ring_set: ['设置', 'Set'],
  ring_saved: ['已设置，终端在下一次心跳时获取该环的设置。', 'Set; the terminal takes the ring’s settings at its next beat.'],
  scope_ring: ['更新环：{name}', 'Ring: {name}'],
  set_version: ['软件版本（从签名仓库安装；填旧版本即回退）', 'Software version (installed from the signed repository; an older one rolls back)'],
  key_software_version: ['软件版本', 'software version'],
  key_technicians: ['维护人员名单', "technicians' list"],
  versions_line: ['运行版本：{list}', 'Running: {list}'],
  version_count: ['{version} × {n}', '{version} × {n}'],
  update_result: ['更新：{result}', 'update: {result}'],
  act_ring: ['设置更新环', 'set the ring of'],
  refused_n: ['{n} 项被拒', '{n} refused'],
  refused_item: ['未采用 {key}：{why}', 'Not taken: {key}: {why}'],
  terminal_meta: ['{hall} · 软件 {software} · 配置 v{config} · 事项目录 v{catalogue} · 最后心跳 {beat}',
    '{hall} · software {software} · config v{config} · catalogue v{catalogue} · last beat {beat}'],
  cmd_out_of_service: ['停止服务', 'Out of service'],
  cmd_in_service: ['恢复服务', 'Back in service'],
  cmd_screenshot: ['屏幕截图（已遮盖）', 'Screenshot (masked)'],
  cmd_log: ['最近 500 行日志', 'Last 500 log lines'],
  cmd_refresh_catalogue: ['重新获取事项目录', 'Fetch the catalogue again'],
  cmd_refresh_keys: ['重新获取密钥', 'Fetch the keys again'],
  cmd_rotate_credential: ['更换终端凭据', 'Rotate the credential'],
  cmd_restart: ['重启终端程序', 'Restart the terminal program'],
  confirm_restart: ['确定重启该终端的程序？有市民在使用时，将在其办完后重启。', "Restart this terminal's program? If a citizen is using it, it restarts once they have finished."],
  confirm_out_of_service: ['确定让该终端停止服务？', 'Take this terminal out of service?'],
  col_command: ['命令', 'Command'],
  col_operator: ['操作人', 'By'],
  col_asked: ['下发时间', 'Asked'],
  col_outcome: ['结果', 'Outcome'],
  cmd_waiting: ['等待终端心跳…', 'waiting for the terminal’s beat…'],
  cmd_delivered: ['已送达，等待结果…', 'delivered; waiting for the answer…'],
  cmd_ok: ['完成', 'done'],
  cmd_failed: ['失败', 'failed'],
  settings_title: ['远程设置', 'Remote settings'],
  settings_version: ['当前配置版本 v{version}。终端在下一次心跳时获取并应用，拒绝的项会在终端列表中显示原因。',
    'Current config version v{version}. Terminals fetch and apply it at their next beat; what one refuses shows with the reason in the terminal list.'],
  col_scope: ['范围', 'Scope'],
  col_settings: ['设置', 'Settings'],
  col_version: ['版本', 'Version'],
  settings_publish: ['发布设置（留空的项不改变终端现有设置）', 'Publish settings (what is left empty stays as the terminal has it)'],
  set_scope: ['范围', 'Scope'],
  set_idle: ['无操作提示（秒，15–900）', 'Idle prompt after (s, 15–900)'],
  set_countdown: ['倒计时（秒，5–120）', 'Countdown (s, 5–120)'],
  set_announcement: ['每条公告显示（秒）', 'Each announcement shows (s)'],
  set_hall_zh: ['大厅名称（中文）', 'Hall name (Chinese)'],
  set_hall_en: ['大厅名称（英文）', 'Hall name (English)'],
  set_elder: ['默认长者模式', 'Elder mode by default'],
  set_voice: ['语音播报', 'Voice'],
  set_fuzzy: ['模糊拼音', 'Fuzzy pinyin'],
  set_service: ['服务状态', 'Service'],
  set_oos_zh: ['停用提示（中文）', 'Out-of-service message (Chinese)'],
  set_oos_en: ['停用提示（英文）', 'Out-of-service message (English)'],
  settings_submit: ['发布', 'Publish'],
  withdraw: ['撤销', 'Withdraw'],
  published_ok: ['已发布为 v{version}。', 'Published as v{version}.'],
  nothing_set: ['（无）', '(none)'],
  scope_all: ['全部终端', 'Every terminal'],
  scope_hall: ['大厅：{name}', 'Hall: {name}'],
  scope_terminal: ['终端：{name}', 'Terminal: {name}'],
  choice_unset: ['不设置', 'leave as is'],
  choice_on: ['开', 'on'],
  choice_off: ['关', 'off'],
  voice_auto: ['自动（长者模式时）', 'auto (in elder mode)'],
  service_in: ['恢复服务', 'in service'],
  service_out: ['停止服务', 'out of service'],
  key_idle_seconds: ['无操作提示', 'idle prompt'],
  key_countdown_seconds: ['倒计时', 'countdown'],
  key_announcement_seconds: ['公告时长', 'announcement'],
  key_hall_name: ['大厅名称', 'hall name'],
  key_elder_mode: ['长者模式', 'elder mode'],
  key_voice: ['语音', 'voice'],
  key_fuzzy_pinyin: ['模糊拼音', 'fuzzy pinyin'],
  key_out_of_service: ['服务状态', 'service'],
  audit_title: ['运维操作记录', 'Operations audit'],
  technicians_title: ['维护人员账号（终端维护模式）', "Technicians' accounts (service mode)"],
  technicians_hint: ['签发后，终端在下一次心跳时获取签名名单：维护模式须输入工号和本人密码（断网时仍可使用已缓存的名单），本机共用密码不再有效；吊销在下一次心跳时生效。',
    "Once issued, terminals fetch the signed list at their next beat: service mode asks for the staff number and that person's PIN (the list is kept, so it works with the hub down), and the terminal's shared PIN no longer opens it; a revocation holds from the next beat."],
  col_issued: ['签发', 'Issued'],
  tech_pin: ['维护密码（6–12 位数字）', 'Service PIN (6 to 12 digits)'],
  tech_issue: ['签发账号', 'Issue the account'],
  tech_active: ['有效', 'in force'],
  tech_revoked: ['已吊销 {time}', 'revoked {time}'],
  tech_revoke: ['吊销', 'Revoke'],
  confirm_revoke: ['吊销工号 {number} 的维护账号？', 'Revoke the account of staff no. {number}?'],
  tech_issued: ['已签发，终端在下一次心跳时更新名单。', 'Issued; terminals update their list at their next beat.'],
  act_technician_issued: ['签发维护账号', 'issued a technician account'],
  act_technician_revoked: ['吊销维护账号', "revoked a technician's account"],
  audit_line: ['{time} {operator}：{action} {target} {detail}', '{time} {operator}: {action} {target} {detail}'],
  act_publish_settings: ['发布设置', 'published settings for'],
  act_command: ['下发命令', 'sent a command to'],
  act_publish_catalogue: ['发布事项目录', 'published the catalogue'],
  act_restore_catalogue: ['恢复事项目录', 'restored the catalogue'],
  act_ring: ['设置更新环', 'set the update ring of'],
  act_enrolled: ['终端注册', 'enrolled'],
  act_credential_rotated: ['已更换凭据', 'took a new credential:'],
  act_credential_revoked: ['吊销终端凭据', "revoked the credential of"],
  act_signing_key_rotated: ['更换签名密钥', 'rotated the signing key to'],
  act_case_queries_paused: ['办件查询过多未匹配，已暂停', 'too many unmatched case queries, paused:'],
});

const fleetDesk = { view: null, open: new Set(), timer: null, filter: '', terminal: null, commands: [], settings: null };

/// A device state in the page's language (`fault: paper out` → 故障：缺纸); unknown words as they are.
function deviceWords(text) {
  if (!text) return '–';
  const [level, why] = text.split(': ');
  const known = (key) => WORDS[key] ? t(key) : null;
  const head = known('dev_' + level) || level;
  if (why === undefined) return head;
  return head + (state.lang ? ': ' : '：') + (known('why_' + why) || why);
}

function ago(ms) {
  if (ms === null || ms === undefined) return t('never');
  const s = Math.max(0, Math.round((fleetDesk.view.now_ms - ms) / 1000));
  if (s < 120) return t('ago_s', { n: s });
  if (s < 7200) return t('ago_m', { n: Math.round(s / 60) });
  return t('ago_h', { n: Math.round(s / 3600) });
}

function clock(ms) {
  const at = new Date(ms);
  const same = new Date(fleetDesk.view.now_ms).toDateString() === at.toDateString();
  return (same ? '' : at.toLocaleDateString(state.lang ? 'en-US' : 'zh-CN') + ' ') +
    at.toLocaleTimeString(state.lang ? 'en-US' : 'zh-CN', { hour12: false });
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

function renderAlerts() {
  const body = $('alerts').querySelector('tbody');
  body.replaceChildren();
  const alerts = fleetDesk.view.alerts;
  $('alerts-empty').hidden = alerts.length > 0;
  $('alerts').hidden = alerts.length === 0;
  // Critical first, then the oldest.
  const sorted = [...alerts].sort((a, b) => (b.critical - a.critical) || (a.since_ms - b.since_ms));
  for (const alert of sorted) {
    const row = document.createElement('tr');
    row.className = alert.critical ? 'critical' : 'warning';
    row.dataset.terminal = alert.device_id;
    row.dataset.kind = alert.kind;
    cell(row, t(alert.critical ? 'level_critical' : 'level_warning'), 'level');
    cell(row, alert.hall);
    cell(row, alert.device_id, 'terminal');
    const what = cell(row, t('alert_' + alert.kind));
    const detail = document.createElement('div');
    detail.className = 'meta';
    detail.textContent = alert.detail;
    what.append(detail);
    cell(row, clock(alert.since_ms) + ' (' + ago(alert.since_ms) + ')', 'since');
    cell(row, t('todo_' + alert.kind), 'todo');
    body.append(row);
  }
}

function terminalTable(terminals, alerted) {
  const table = document.createElement('table');
  table.className = 'terminals';
  const head = document.createElement('tr');
  for (const key of ['th_terminal', 'th_state', 'th_reader', 'th_printer', 'th_camera', 'th_card', 'th_waiting',
    'th_software', 'th_ring', 'th_config', 'th_catalogue', 'th_beat', 'th_settings']) {
    const th = document.createElement('th');
    th.textContent = t(key);
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const body = document.createElement('tbody');
  const view = fleetDesk.view;
  for (const terminal of terminals) {
    const row = document.createElement('tr');
    row.dataset.terminal = terminal.device_id;
    row.dataset.ring = terminal.ring || '';
    if (alerted.has(terminal.device_id)) row.className = 'alerted';
    cell(row, terminal.device_id);
    cell(row, t('live_' + terminal.liveness), 'live ' + terminal.liveness);
    for (const part of ['reader', 'printer', 'camera']) {
      const state_ = terminal.devices[part];
      cell(row, deviceWords(state_), state_ && state_.startsWith('fault') ? 'bad' : state_ && state_.startsWith('warning') ? 'warn' : '');
    }
    const left = (terminal.devices.card || '').startsWith('left');
    cell(row, t(left ? 'card_yes' : 'card_no'), left ? 'bad' : '');
    cell(row, String(terminal.outbox_depth) + (terminal.oldest_waiting_ms ? ' · ' + ago(terminal.oldest_waiting_ms) : ''));
    cell(row, terminal.software_version || '–');
    cell(row, terminal.ring || '–');
    cell(row, 'v' + terminal.config_version, terminal.config_version < view.config_version ? 'warn' : '');
    cell(row, 'v' + terminal.catalogue_version, terminal.catalogue_version < view.catalogue_version ? 'warn' : '');
    cell(row, terminal.last_beat_ms ? clock(terminal.last_beat_ms) + ' (' + ago(terminal.last_beat_ms) + ')' : t('never'));
    const refused = terminal.config_refused || [];
    cell(row, refused.length ? t('refused_n', { n: refused.length }) : '–', refused.length ? 'bad refused' : '');
    row.tabIndex = 0;
    row.addEventListener('click', () => openTerminal(terminal.device_id));
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter') openTerminal(terminal.device_id); });
    if (terminal.device_id === fleetDesk.terminal) row.classList.add('current');
    body.append(row);
  }
  table.append(thead, body);
  return table;
}

function renderTerminals() {
  const view = fleetDesk.view;
  const count = (live) => view.terminals.filter((x) => x.liveness === live).length;
  $('fleet-summary').textContent = t('fleet_summary', {
    n: view.terminals.length, online: count('online'), stale: count('stale'), offline: count('offline'),
    config: view.config_version, catalogue: view.catalogue_version,
  });
  // Who runs what: each software version and how many terminals run it.
  const versions = new Map();
  for (const x of view.terminals) versions.set(x.software_version || '–', (versions.get(x.software_version || '–') || 0) + 1);
  $('fleet-versions').textContent = t('versions_line', {
    list: [...versions].sort().map(([version, n]) => t('version_count', { version, n })).join(state.lang ? ', ' : '，'),
  });
  const alerted = new Set(view.alerts.map((a) => a.device_id));
  const alertsByHall = new Map();
  for (const alert of view.alerts) alertsByHall.set(alert.hall, (alertsByHall.get(alert.hall) || 0) + 1);
  const filter = fleetDesk.filter.trim().toLowerCase();
  const halls = new Map();
  for (const terminal of view.terminals) {
    if (filter && !terminal.hall.toLowerCase().includes(filter) && !terminal.device_id.toLowerCase().includes(filter)) continue;
    if (!halls.has(terminal.hall)) halls.set(terminal.hall, []);
    halls.get(terminal.hall).push(terminal);
  }
  const box = $('halls');
  box.replaceChildren();
  for (const [hall, terminals] of halls) {
    const details = document.createElement('details');
    details.dataset.hall = hall;
    const alerts = alertsByHall.get(hall) || 0;
    details.open = fleetDesk.open.has(hall) || alerts > 0 || halls.size === 1;
    const summary = document.createElement('summary');
    summary.textContent = t('hall_line', { hall, n: terminals.length });
    if (alerts) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = t('hall_alerts', { n: alerts });
      summary.append(' ', badge);
    }
    details.append(summary);
    // A closed hall's table is drawn when it is opened.
    const fill = () => { if (details.open && details.children.length === 1) details.append(terminalTable(terminals, alerted)); };
    details.addEventListener('toggle', () => {
      if (details.open) fleetDesk.open.add(hall); else fleetDesk.open.delete(hall);
      fill();
    });
    fill();
    box.append(details);
  }
}

function renderFleet() {
  if ($('fleet').hidden || !fleetDesk.view) return;
  renderAlerts();
  renderTerminals();
  renderTerminal();
  renderSettings();
  // For the tests and the render-time figure: when this view was drawn.
  document.body.dataset.fleetAt = String(fleetDesk.view.now_ms);
}

async function loadFleet() {
  await loadCommands();
  const reply = await fetch('/console/api/fleet').catch(() => null);
  if (!reply || !reply.ok) {
    $('fleet-error').textContent = reply ? (await reply.json().catch(() => ({ error: String(reply.status) }))).error : t('hub_down');
    return;
  }
  $('fleet-error').textContent = '';
  fleetDesk.view = await reply.json();
  renderFleet();
}

$('fleet-filter').addEventListener('input', () => { fleetDesk.filter = $('fleet-filter').value; renderFleet(); });

// --- one terminal: its refusals, commands and their answers --------------------------------------------

async function operations(path, body) {
  return consoleCall('/console/api' + path, body);
}

async function openTerminal(id) {
  fleetDesk.terminal = id;
  $('terminal-pane').hidden = false;
  await loadCommands();
  renderFleet();
  $('terminal-pane').scrollIntoView({ block: 'nearest' });
}

async function loadCommands() {
  if (!fleetDesk.terminal) return;
  try {
    fleetDesk.commands = await operations('/terminals/' + encodeURIComponent(fleetDesk.terminal) + '/commands');
    $('command-error').textContent = '';
  } catch (error) { $('command-error').textContent = error.message; }
}

function renderTerminal() {
  const terminal = fleetDesk.view.terminals.find((x) => x.device_id === fleetDesk.terminal);
  $('terminal-pane').hidden = !terminal;
  if (!terminal) return;
  $('terminal-title').textContent = terminal.device_id;
  $('terminal-meta').textContent = t('terminal_meta', {
    hall: terminal.hall, software: terminal.software_version || '–', config: terminal.config_version,
    catalogue: terminal.catalogue_version, beat: terminal.last_beat_ms ? ago(terminal.last_beat_ms) : t('never'),
  }) + (terminal.devices.update ? ' · ' + t('update_result', { result: terminal.devices.update }) : '');
  $('terminal-meta').dataset.update = terminal.devices.update || '';
  if (document.activeElement !== $('ring')) $('ring').value = terminal.ring || '';
  const refused = $('terminal-refused');
  refused.replaceChildren();
  for (const refusal of terminal.config_refused || []) {
    const li = document.createElement('li');
    li.textContent = t('refused_item', { key: t('key_' + refusal.key), why: refusal.why });
    refused.append(li);
  }
  const body = $('command-list').querySelector('tbody');
  body.replaceChildren();
  for (const command of fleetDesk.commands || []) {
    const row = document.createElement('tr');
    row.dataset.command = command.command;
    row.dataset.state = command.done_ms ? (command.ok ? 'ok' : 'failed') : command.delivered_ms ? 'delivered' : 'waiting';
    cell(row, t('cmd_' + command.command), 'nowrap');
    cell(row, command.operator || '–', 'nowrap');
    cell(row, clock(command.created_ms), 'nowrap');
    const outcome = cell(row, command.done_ms ? t(command.ok ? 'cmd_ok' : 'cmd_failed') + ' · ' + clock(command.done_ms)
      : t(command.delivered_ms ? 'cmd_delivered' : 'cmd_waiting'));
    if (command.picture) {
      const link = document.createElement('a');
      link.href = '/console/api/commands/' + command.id + '/screenshot.png';
      link.target = '_blank';
      const img = document.createElement('img');
      img.className = 'screenshot';
      img.alt = t('cmd_screenshot');
      img.src = link.href;
      link.append(img);
      outcome.append(link);
    } else if (command.text) {
      const text = document.createElement('pre');
      text.textContent = command.text;
      outcome.append(text);
    }
    body.append(row);
  }
}

for (const button of document.querySelectorAll('#terminal-commands button')) {
  button.addEventListener('click', async () => {
    const command = button.dataset.command;
    if (WORDS['confirm_' + command] && !window.confirm(t('confirm_' + command))) return;
    try {
      fleetDesk.commands = await operations('/terminals/' + encodeURIComponent(fleetDesk.terminal) + '/commands', { command });
      $('command-error').textContent = '';
    } catch (error) { $('command-error').textContent = error.message; }
    renderFleet();
  });
}

// --- remote settings -----------------------------------------------------------------------------------

const CHOICES = {
  flag: [['', 'choice_unset'], ['true', 'choice_on'], ['false', 'choice_off']],
  voice: [['', 'choice_unset'], ['auto', 'voice_auto'], ['on', 'choice_on'], ['off', 'choice_off']],
  service: [['', 'choice_unset'], ['in', 'service_in'], ['out', 'service_out']],
};

function scopeWords(scope) {
  if (scope === '*') return t('scope_all');
  const [kind, name] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)];
  return t('scope_' + kind, { name });
}

function settingsWords(settings) {
  const parts = [];
  for (const [key, value] of Object.entries(settings)) {
    let shown = value;
    if (key === 'hall_name') shown = value.zh + ' / ' + value.en;
    else if (key === 'out_of_service') shown = t(value.off ? 'service_out' : 'service_in') + (value.message ? '：' + value.message.zh : '');
    else if (value === true) shown = t('choice_on');
    else if (value === false) shown = t('choice_off');
    parts.push(t('key_' + key) + ' = ' + shown);
  }
  return parts.join('；') || t('nothing_set');
}

function renderSettings() {
  const view = fleetDesk.settings;
  // The scope choices: everyone, each hall, each terminal (kept when the list is drawn again).
  const select = $('set-scope');
  const chosen = select.value;
  const halls = [...new Set(fleetDesk.view.terminals.map((x) => x.hall))];
  select.replaceChildren();
  const rings = [...new Set(['canary', ...fleetDesk.view.terminals.map((x) => x.ring).filter(Boolean)])];
  for (const scope of ['*', ...rings.map((r) => 'ring:' + r), ...halls.map((h) => 'hall:' + h),
    ...fleetDesk.view.terminals.map((x) => 'terminal:' + x.device_id)]) {
    const option = document.createElement('option');
    option.value = scope;
    option.textContent = scopeWords(scope);
    select.append(option);
  }
  if (chosen) select.value = chosen;
  for (const node of document.querySelectorAll('#settings-form select[data-choice]')) {
    const value = node.value;
    node.replaceChildren();
    for (const [key, words] of CHOICES[node.dataset.choice]) {
      const option = document.createElement('option');
      option.value = key;
      option.textContent = t(words);
      node.append(option);
    }
    node.value = value;
  }
  renderTechnicians();
  if (!view) return;
  $('settings-version').textContent = t('settings_version', { version: view.version });
  const body = $('published').querySelector('tbody');
  body.replaceChildren();
  for (const published of view.published) {
    const row = document.createElement('tr');
    row.dataset.scope = published.scope;
    cell(row, scopeWords(published.scope), 'nowrap');
    cell(row, settingsWords(published.settings));
    cell(row, 'v' + published.version, 'nowrap');
    cell(row, published.operator + ' · ' + clock(published.changed_ms), 'nowrap');
    const actions = document.createElement('td');
    const withdraw = document.createElement('button');
    withdraw.type = 'button';
    withdraw.textContent = t('withdraw');
    withdraw.addEventListener('click', () => publish(published.scope, {}));
    actions.append(withdraw);
    row.append(actions);
    body.append(row);
  }
  const audit = $('operations-audit');
  audit.replaceChildren();
  for (const line of view.audit) {
    const li = document.createElement('li');
    let detail = line.detail;
    if (line.action === 'publish_settings') {
      try { detail = settingsWords(JSON.parse(line.detail)); } catch (_) { /* shown as kept */ }
    } else if (line.action === 'command') {
      detail = t('cmd_' + line.detail);
    }
    li.textContent = t('audit_line', {
      time: clock(line.at_ms), operator: line.operator, action: t('act_' + line.action),
      target: line.target.includes(':') || line.target === '*' ? scopeWords(line.target) : line.target, detail,
    });
    audit.append(li);
  }
}

// --- technicians' accounts -----------------------------------------------------------------------------

function renderTechnicians() {
  const body = $('technicians').querySelector('tbody');
  body.replaceChildren();
  for (const account of fleetDesk.technicians || []) {
    const row = document.createElement('tr');
    row.dataset.number = account.number;
    row.dataset.state = account.revoked_ms ? 'revoked' : 'active';
    cell(row, account.number, 'nowrap');
    cell(row, account.name);
    cell(row, account.operator + ' · ' + clock(account.created_ms), 'nowrap');
    cell(row, account.revoked_ms ? t('tech_revoked', { time: clock(account.revoked_ms) }) : t('tech_active'),
      account.revoked_ms ? 'bad' : '');
    const actions = document.createElement('td');
    if (!account.revoked_ms) {
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'danger revoke';
      revoke.textContent = t('tech_revoke');
      revoke.addEventListener('click', async () => {
        if (!window.confirm(t('confirm_revoke', { number: account.number }))) return;
        try {
          fleetDesk.technicians = await operations('/technicians/' + encodeURIComponent(account.number) + '/revoke', {});
          $('technician-error').textContent = '';
        } catch (error) { $('technician-error').textContent = error.message; }
        await loadSettings();
        renderFleet();
      });
      actions.append(revoke);
    }
    row.append(actions);
    body.append(row);
  }
}

$('technician-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = { number: $('tech-number').value.trim(), name: $('tech-name').value.trim(), pin: $('tech-pin').value };
  $('tech-pin').value = '';
  try {
    fleetDesk.technicians = await operations('/technicians', form);
    $('technician-error').textContent = t('tech_issued');
  } catch (error) { $('technician-error').textContent = error.message; }
  await loadSettings();
  renderFleet();
});

async function loadSettings() {
  try { fleetDesk.technicians = await operations('/technicians'); } catch (error) { $('technician-error').textContent = error.message; }
  try { fleetDesk.settings = await operations('/settings'); } catch (error) { $('settings-error').textContent = error.message; }
}

async function publish(scope, settings) {
  $('settings-error').textContent = '';
  try {
    fleetDesk.settings = await operations('/settings', { scope, settings });
    $('settings-error').textContent = t('published_ok', { version: fleetDesk.settings.version });
  } catch (error) { $('settings-error').textContent = error.message; }
  renderFleet();
}

$('settings-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const settings = {};
  const number = (id, key) => { const v = $(id).value.trim(); if (v !== '') settings[key] = Number(v); };
  number('set-idle', 'idle_seconds');
  number('set-countdown', 'countdown_seconds');
  number('set-announcement', 'announcement_seconds');
  const zh = $('set-hall-zh').value.trim();
  const en = $('set-hall-en').value.trim();
  if (zh || en) settings.hall_name = { zh, en };
  const flag = (id, key) => { if ($(id).value) settings[key] = $(id).value === 'true'; };
  flag('set-elder', 'elder_mode');
  flag('set-fuzzy', 'fuzzy_pinyin');
  if ($('set-voice').value) settings.voice = $('set-voice').value;
  if ($('set-service').value) {
    settings.out_of_service = { off: $('set-service').value === 'out' };
    const mzh = $('set-oos-zh').value.trim();
    const men = $('set-oos-en').value.trim();
    if (settings.out_of_service.off && (mzh || men)) settings.out_of_service.message = { zh: mzh || men, en: men || mzh };
  }
  const version = $('set-version').value.trim();
  if (version) settings.software_version = version;
  publish($('set-scope').value, settings);
});

$('ring-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await operations('/terminals/' + encodeURIComponent(fleetDesk.terminal) + '/ring', { ring: $('ring').value.trim() });
    $('command-error').textContent = t('ring_saved');
  } catch (error) { $('command-error').textContent = error.message; }
  await loadFleet();
});

window.fleetDesk = {
  async open() {
    await loadSettings();
    loadFleet();
    clearInterval(fleetDesk.timer);
    fleetDesk.timer = setInterval(loadFleet, 5000);
  },
  close() {
    clearInterval(fleetDesk.timer);
    fleetDesk.timer = null;
  },
  render: renderFleet,
  reload: loadFleet,
};
