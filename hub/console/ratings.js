// The 评价 report (好差评; operators and admins, the hub refuses anyone else): ratings by month, hall and
// service with each level's count and the share satisfied, the reasons given for low ratings, the low
// ratings to follow up, and both as CSV. Uses console.js's `state`, `t` and `$`.
'use strict';

Object.assign(WORDS, {
  tab_ratings: ['评价报表', 'Ratings'],
  ratings_title: ['好差评报表', 'Ratings report'],
  ratings_month: ['月份', 'Month'],
  ratings_csv: ['导出报表（CSV）', 'Export the report (CSV)'],
  ratings_low_csv: ['导出差评（CSV）', 'Export low ratings (CSV)'],
  ratings_empty: ['这段时间没有评价。', 'No ratings in this period.'],
  col_month: ['月份', 'Month'],
  col_total: ['合计', 'Total'],
  col_satisfied: ['好评率', 'Positive'],
  col_time: ['时间', 'Time'],
  col_case: ['办件编号', 'Case'],
  col_rating: ['评价', 'Rating'],
  col_reasons: ['原因', 'Reasons'],
  level_5: ['非常满意', 'Very satisfied'],
  level_4: ['满意', 'Satisfied'],
  level_3: ['基本满意', 'Fair'],
  level_2: ['不满意', 'Dissatisfied'],
  level_1: ['非常不满意', 'Very dissatisfied'],
  reasons_title: ['差评原因', 'Reasons given for low ratings'],
  low_title: ['待回访的差评', 'Low ratings to follow up'],
  reasons_none: ['没有差评。', 'No low ratings.'],
  reason_count: ['{reason}：{n} 次', '{reason}: {n}'],
  // The rating screen's reasons (src/ui/screen/rating.rs) and journeys without a catalogue service.
  tag_slow: ['办理太慢', 'Too slow'],
  tag_unclear: ['指引看不懂', 'Hard to understand'],
  tag_device: ['设备不好用', 'The machine did not work well'],
  tag_steps: ['步骤太多', 'Too many steps'],
  tag_result: ['结果不满意', 'Unhappy with the result'],
  journey_print: ['证照打印', 'Printing'],
  journey_ticket: ['排队取号', 'Queue ticket'],
  journey_progress: ['办件查询', 'Progress'],
});

const ratingsDesk = { report: null };

function serviceWords(line) {
  if (line.service_name) return state.lang ? line.service_name.en : line.service_name.zh;
  return WORDS['journey_' + line.service] ? t('journey_' + line.service) : line.service;
}

const tagWords = (tag) => (WORDS['tag_' + tag] ? t('tag_' + tag) : tag);

function ratingsCell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
}

function renderRatings() {
  if ($('ratings').hidden || !ratingsDesk.report) return;
  const report = ratingsDesk.report;
  const month = $('ratings-month').value;
  const query = (part) => '/console/api/ratings.csv?part=' + part + (month ? '&month=' + month : '');
  $('ratings-csv').href = query('lines');
  $('ratings-low-csv').href = query('low');
  const body = $('ratings-lines').querySelector('tbody');
  body.replaceChildren();
  $('ratings-empty').hidden = report.lines.length > 0;
  for (const line of report.lines) {
    const row = document.createElement('tr');
    row.dataset.service = line.service;
    row.dataset.hall = line.hall;
    row.dataset.month = line.month;
    ratingsCell(row, line.month, 'nowrap');
    ratingsCell(row, line.hall);
    ratingsCell(row, serviceWords(line));
    line.levels.forEach((n, i) => ratingsCell(row, String(n), 'number' + (n > 0 && i >= 3 ? ' low' : '')));
    ratingsCell(row, String(line.total), 'number total');
    ratingsCell(row, line.satisfied.toFixed(1) + '%', 'number' + (line.satisfied < 90 ? ' low' : ''));
    body.append(row);
  }
  const reasons = $('ratings-reasons');
  reasons.replaceChildren();
  if (report.reasons.length === 0) {
    const li = document.createElement('li');
    li.textContent = t('reasons_none');
    reasons.append(li);
  }
  for (const [reason, n] of report.reasons) {
    const li = document.createElement('li');
    li.dataset.reason = reason;
    li.textContent = t('reason_count', { reason: tagWords(reason), n });
    reasons.append(li);
  }
  const low = $('ratings-low').querySelector('tbody');
  low.replaceChildren();
  for (const rating of report.low) {
    const row = document.createElement('tr');
    ratingsCell(row, new Date(rating.occurred_ms).toLocaleString(state.lang ? 'en-US' : 'zh-CN', { hour12: false }), 'nowrap');
    ratingsCell(row, rating.hall);
    ratingsCell(row, rating.device_id, 'nowrap');
    ratingsCell(row, serviceWords(rating));
    ratingsCell(row, rating.case_no || '–', 'nowrap');
    ratingsCell(row, t('level_' + rating.level), 'nowrap low');
    ratingsCell(row, rating.tags.map(tagWords).join(state.lang ? ', ' : '、') || '–');
    low.append(row);
  }
}

async function loadRatings() {
  const month = $('ratings-month').value;
  const reply = await fetch('/console/api/ratings' + (month ? '?month=' + month : '')).catch(() => null);
  if (!reply || !reply.ok) {
    $('ratings-error').textContent = reply ? (await reply.json().catch(() => ({ error: String(reply.status) }))).error : t('hub_down');
    return;
  }
  $('ratings-error').textContent = '';
  ratingsDesk.report = await reply.json();
  renderRatings();
}

$('ratings-month').addEventListener('change', loadRatings);

window.ratingsDesk = {
  open: loadRatings,
  render: renderRatings,
  reload: loadRatings,
};
