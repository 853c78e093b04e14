// The review desk (不见面审批) of the staff console: the queue of the reviewer's departments, most urgent
// first; one application with its form, its pages (click to zoom), the e-licences it used, its timeline and
// audit; and the decisions the hub allows now (受理, 一次性告知补正, 不予受理, 办结). The hub enforces who may
// see and decide what; this page shows what it answers. Uses console.js's `state`, `t` and `$`.
'use strict';

Object.assign(WORDS, {
  review_queue: ['待审批申报', 'Applications to decide'],
  review_empty: ['暂时没有待审批的申报。', 'No application is waiting.'],
  departments: ['负责部门：{list}', 'Departments: {list}'],
  all_departments: ['全部部门', 'every department'],
  col_number: ['申报编号', 'Number'],
  col_service: ['事项', 'Service'],
  col_state: ['状态', 'State'],
  col_due: ['期限', 'Due'],
  col_applicant: ['申请人', 'Applicant'],
  due_left: ['{due}（还剩 {n} 天）', '{due} ({n} days left)'],
  due_today: ['{due}（今天到期）', '{due} (due today)'],
  due_over: ['{due}（已超期 {n} 天）', '{due} ({n} days overdue)'],
  form: ['申请表', 'Form'],
  materials: ['材料', 'Documents'],
  materials_deleted: ['材料页面已于 {day} 保存期满删除（案件记录保留）', 'The pages were deleted on {day} when their retention ran out (the case record stays)'],
  delivery: ['领取方式', 'Delivery'],
  timeline: ['办理记录', 'Timeline'],
  audit: ['操作审计', 'Audit'],
  case_meta: ['{department} · 收件 {received} · 承诺办结 {promised}', '{department} · received {received} · promised by {promised}'],
  from_library: ['已从电子证照库调取：{title} {number}', 'From the e-licence library: {title} {number}'],
  source_capture: ['高拍仪拍摄 {n} 页', 'Document camera: {n} page(s)'],
  source_phone: ['手机上传 {n} 页', 'Uploaded from a phone: {n} page(s)'],
  page_n: ['第 {n} 页', 'Page {n}'],
  signed: ['市民已在终端签名', 'Signed at the terminal'],
  unsigned: ['未签名', 'Not signed'],
  do_accept: ['受理', 'Accept'],
  do_correct: ['一次性告知补正（勾选所有需补正的项目）', 'Ask for more, all at once (tick every item)'],
  correct_why: ['需补正原因', 'What is wrong'],
  deadline_days: ['补正期限（工作日）', 'Deadline (working days)'],
  send_correct: ['告知补正', 'Send the notice'],
  do_not_accept: ['不予受理，理由', 'Not accepted, because'],
  send_not_accept: ['不予受理', 'Not accepted'],
  waybill: ['EMS 运单号（留空由系统分配）', 'EMS waybill (blank: the hub assigns one)'],
  do_approve: ['办结：准予许可', 'Decide: approve'],
  do_deny: ['不予许可，理由', 'Refused, because'],
  send_deny: ['办结：不予许可', 'Decide: refuse'],
  close: ['关闭', 'Close'],
  result_electronic: ['结果：电子证照 {id}', 'Result: electronic licence {id}'],
  result_ems: ['结果：EMS 运单号 {waybill}', 'Result: EMS waybill {waybill}'],
  result_pickup: ['结果：窗口领取', 'Result: collected at a counter'],
  action_accept: ['受理', 'accepted'],
  action_correct: ['告知补正', 'asked for more'],
  action_not_accept: ['不予受理', 'not accepted'],
  action_approve: ['准予许可', 'approved'],
  action_deny: ['不予许可', 'refused'],
  failed: ['操作未完成：{why}', 'Not done: {why}'],
  no_reason: ['请写明理由。', 'Write the reason.'],
  no_items: ['请勾选需补正的项目并写明原因。', 'Tick the items and say what is wrong.'],
  not_yours: ['该申报不属于您负责的部门，无权查看或审批。', 'This application belongs to another department: you may not see or decide it.'],
  not_found: ['没有这个申报编号。', 'No application has this number.'],
  parts: ['一件事联办：各部门分别审批', 'One-thing bundle: each department decides its part'],
  part_of: ['本件是一件事 {parent} 的一部分，全部办结后统一送达结果。', 'A part of the bundle {parent}: the result goes once every part is decided.'],
  supplied: ['补正材料（与原件对照）', 'Supplied after 补正 (beside the first)'],
  supplied_meta: ['补正回执 {number} · 收到 {received}', 'Supplement {number} · received {received}'],
  first_given: ['原提交', 'First given'],
  given_now: ['补正后', 'Given now'],
  action_supplied: ['在自助终端补交材料', 'supplied at a terminal'],
  filled_by: ['（远程帮办：工作人员 {staff} 代填，申请人已核对签名）', '(filled in remotely by staff {staff}; the applicant checked and signed)'],
});

const review = { queue: [], detail: null, number: null };

function local(text) { return text ? (state.lang ? text.en : text.zh) : ''; }
function when(ms) { return new Date(ms).toLocaleString(state.lang ? 'en-GB' : 'zh-CN', { hour12: false }); }

function dueText(entry) {
  if (entry.days_left < 0) return t('due_over', { due: entry.due, n: -entry.days_left });
  if (entry.days_left === 0) return t('due_today', { due: entry.due });
  return t('due_left', { due: entry.due, n: entry.days_left });
}

async function api(path, body) {
  return consoleCall('/console/api' + path, body);
}

async function loadQueue() {
  try {
    review.queue = await api('/queue');
  } catch (error) {
    review.queue = [];
    $('case-error').textContent = t('failed', { why: error.message });
  }
  renderReviewQueue();
}

function renderReviewQueue() {
  const body = $('review-queue').querySelector('tbody');
  body.replaceChildren();
  $('review-empty').hidden = review.queue.length > 0;
  $('review-queue').hidden = review.queue.length === 0;
  const departments = state.staff && state.staff.role === 'admin' ? t('all_departments') :
    ((state.staff && state.staff.departments) || []).join('、');
  $('review-departments').textContent = t('departments', { list: departments });
  for (const entry of review.queue) {
    const row = document.createElement('tr');
    row.dataset.number = entry.number;
    row.tabIndex = 0;
    if (entry.days_left < 0) row.className = 'overdue';
    if (entry.number === review.number) row.classList.add('current');
    for (const text of [entry.number, local(entry.service), local(entry.state_label), dueText(entry), entry.applicant]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    row.addEventListener('click', () => openCase(entry.number));
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter') openCase(entry.number); });
    body.append(row);
  }
}

async function openCase(number) {
  review.number = number;
  $('case-error').textContent = '';
  try {
    review.detail = await api('/applications/' + encodeURIComponent(number));
  } catch (error) {
    review.detail = null;
    $('case').hidden = false;
    $('case-title').textContent = number;
    $('case-meta').textContent = '';
    $('case').dataset.state = 'refused';
    $('case-body').hidden = true;
    $('case-actions').hidden = true;
    $('case-error').textContent = error.status === 403 ? t('not_yours') :
      error.status === 404 ? t('not_found') : t('failed', { why: error.message });
    return;
  }
  renderCase();
  renderReviewQueue();
}

function pairs(table, rows) {
  table.replaceChildren();
  for (const [label, value] of rows) {
    const row = document.createElement('tr');
    const head = document.createElement('th');
    head.textContent = label;
    const cell = document.createElement('td');
    cell.textContent = value;
    row.append(head, cell);
    table.append(row);
  }
}

/// Where a material came from, in words.
function materialSource(m) {
  const source = document.createElement('span');
  source.textContent = m.licence ? t('from_library', { title: local(m.licence.label), number: local(m.licence.value) }) :
    t('source_' + m.source, { n: m.pages.length });
  return source;
}

/// A material's pages as thumbnails (click to zoom).
function pageImages(d, m) {
  const pages = document.createElement('div');
  pages.className = 'pages';
  // Pages past their retention are gone: the case says when (no broken images).
  if (d.materials_deleted_on) return pages;
  m.pages.forEach((sha, i) => {
    const img = document.createElement('img');
    img.src = '/console/api/applications/' + encodeURIComponent(d.number) + '/pages/' + sha;
    img.alt = local(m.title) + ' ' + t('page_n', { n: i + 1 });
    img.tabIndex = 0;
    img.addEventListener('click', () => zoom(img));
    pages.append(img);
  });
  return pages;
}

/// What the applicant supplied after 补正: each item given now beside what was first given.
function renderSupplied(d) {
  const box = $('case-supplied');
  box.replaceChildren();
  $('case-supplied-title').hidden = !d.supplied.length;
  for (const s of d.supplied) {
    const meta = document.createElement('p');
    meta.className = 'meta';
    meta.textContent = t('supplied_meta', { number: s.number, received: when(s.received_ms) });
    const table = document.createElement('table');
    table.className = 'beside';
    const head = document.createElement('tr');
    for (const word of ['', t('first_given'), t('given_now')]) {
      const th = document.createElement('th');
      th.textContent = word;
      head.append(th);
    }
    table.append(head);
    const row = (label, first, now) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.textContent = label;
      const before = document.createElement('td');
      const after = document.createElement('td');
      before.append(...first);
      after.append(...now);
      tr.append(th, before, after);
      table.append(tr);
    };
    for (const f of s.fields) {
      const first = d.fields.find((g) => g.id === f.id);
      row(local(f.label), [first ? local(first.value) : ''], [local(f.value)]);
    }
    for (const m of s.materials) {
      const first = d.materials.find((g) => g.id === m.id);
      row(local(m.title), first ? [materialSource(first), pageImages(d, first)] : [],
        [materialSource(m), pageImages(d, m)]);
    }
    box.append(meta, table);
  }
}

function renderCase() {
  const d = review.detail;
  if (!d) return;
  $('case').hidden = false;
  $('case-body').hidden = false;
  $('case').dataset.state = d.state;
  $('case-title').textContent = d.number + ' · ' + local(d.service) + ' · ' + local(d.state_label);
  $('case-meta').textContent = t('case_meta', { department: d.department, received: when(d.received_ms), promised: d.promised_on }) +
    (d.actions.length ? ' · ' + dueText(d) : '') + ' · ' + (d.signed ? t('signed') : t('unsigned'));
  pairs($('case-fields'), d.fields.map((f) => [local(f.label),
    local(f.value) + (f.filled_by ? ' ' + t('filled_by', { staff: f.filled_by }) : '')]));
  const materials = $('case-materials');
  materials.replaceChildren();
  for (const m of d.materials) {
    const li = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = local(m.title) + '：';
    li.append(title, materialSource(m), pageImages(d, m));
    materials.append(li);
  }
  if (d.materials_deleted_on) {
    const gone = document.createElement('li');
    gone.className = 'note';
    gone.textContent = t('materials_deleted', { day: d.materials_deleted_on });
    materials.append(gone);
  }
  renderSupplied(d);
  $('case-delivery').textContent = local(d.delivery) + (d.result ? ' · ' + t('result_' + d.result.kind, { id: d.result.document_id, waybill: d.result.waybill }) : '');
  pairs($('case-ems'), (d.ems || []).filter((f) => f.value.zh).map((f) => [local(f.label), local(f.value)]));
  const timeline = $('case-timeline');
  timeline.replaceChildren();
  for (const step of d.timeline) {
    const li = document.createElement('li');
    li.textContent = when(step.at_ms) + ' ' + (local(WORDS_STATES[step.state]) || step.state) + (step.note ? ' — ' + local(step.note) : '');
    timeline.append(li);
  }
  const audit = $('case-audit');
  audit.replaceChildren();
  for (const a of d.audit) {
    const li = document.createElement('li');
    li.textContent = when(a.at_ms) + ' ' + a.staff + ' ' + t('action_' + a.action);
    audit.append(li);
  }
  const bundle = d.parts && d.parts.length > 0;
  $('case-bundle').hidden = !bundle;
  const parts = $('case-parts');
  parts.replaceChildren();
  for (const part of d.parts || []) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = '?case=' + encodeURIComponent(part.number);
    link.textContent = part.number + ' · ' + local(part.service) + ' · ' + local(part.state_label);
    link.addEventListener('click', (event) => { event.preventDefault(); openCase(part.number); });
    li.append(link);
    parts.append(li);
  }
  $('case-parent').hidden = !d.parent;
  if (d.parent) $('case-parent').textContent = t('part_of', { parent: d.parent });
  renderActions();
}

const WORDS_STATES = {
  submitted: { zh: '已提交', en: 'Submitted' }, accepted: { zh: '已受理', en: 'Accepted' },
  in_review: { zh: '审查中', en: 'Under review' }, needs_materials: { zh: '需补正材料', en: 'More documents needed' },
  approved: { zh: '已办结', en: 'Approved' }, refused: { zh: '不予许可', en: 'Refused' },
  collected: { zh: '已领取', en: 'Collected' }, not_accepted: { zh: '不予受理', en: 'Not accepted' },
};

function renderActions() {
  const d = review.detail;
  const can = (action) => d.actions.includes(action);
  $('case-actions').hidden = d.actions.length === 0;
  $('do-accept').hidden = !can('accept');
  $('do-correct').hidden = !can('correct');
  $('do-not-accept').hidden = !can('not_accept');
  $('do-approve').hidden = !can('approve');
  $('waybill-label').hidden = !d.ems;
  $('do-deny').hidden = !can('deny');
  const items = $('correct-items');
  items.replaceChildren();
  const choices = d.fields.map((f) => [f.id, local(f.label)]).concat(d.materials.map((m) => [m.id, local(m.title)]));
  for (const [id, label] of choices) {
    const line = document.createElement('div');
    line.className = 'item-line';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = id;
    box.id = 'item-' + id;
    const name = document.createElement('label');
    name.htmlFor = box.id;
    name.textContent = label;
    const why = document.createElement('input');
    why.className = 'why';
    why.dataset.item = id;
    why.maxLength = 200;
    why.placeholder = t('correct_why');
    why.setAttribute('aria-label', label + ' ' + t('correct_why'));
    why.addEventListener('input', () => { if (why.value) box.checked = true; });
    line.append(box, name, why);
    items.append(line);
  }
}

function zoom(img) {
  $('zoom-img').src = img.src;
  $('zoom-img').alt = img.alt;
  $('zoom').showModal();
}

async function decide(body) {
  $('case-error').textContent = '';
  try {
    review.detail = await api('/applications/' + encodeURIComponent(review.number) + '/actions', body);
    renderCase();
    loadQueue();
  } catch (error) {
    $('case-error').textContent = t('failed', { why: error.message });
  }
}

$('do-accept').addEventListener('click', () => decide({ action: 'accept' }));
$('do-correct').addEventListener('submit', (event) => {
  event.preventDefault();
  const items = [...$('correct-items').querySelectorAll('input[type=checkbox]:checked')].map((box) => ({
    item: box.value,
    why: $('correct-items').querySelector('.why[data-item="' + box.value + '"]').value.trim(),
  }));
  if (!items.length || items.some((i) => !i.why)) { $('case-error').textContent = t('no_items'); return; }
  decide({ action: 'correct', items, deadline_days: Number($('correct-days').value) });
});
$('do-not-accept').addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = $('not-accept-reason').value.trim();
  if (!reason) { $('case-error').textContent = t('no_reason'); return; }
  decide({ action: 'not_accept', reason });
});
$('do-approve').addEventListener('submit', (event) => {
  event.preventDefault();
  const waybill = $('waybill').value.trim();
  decide(waybill ? { action: 'approve', waybill } : { action: 'approve' });
});
$('do-deny').addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = $('deny-reason').value.trim();
  if (!reason) { $('case-error').textContent = t('no_reason'); return; }
  decide({ action: 'deny', reason });
});

window.reviewDesk = {
  open() {
    loadQueue();
    const wanted = new URLSearchParams(location.search).get('case');
    if (wanted && !review.number) openCase(wanted);
  },
  render() {
    if ($('review').hidden) return;
    renderReviewQueue();
    if (review.detail) renderCase();
  },
};
