// The catalogue in the console (operators and admins): the published versions, each one click from being
// the newest again; the announcements edited field by field; the whole catalogue as JSON (themes,
// services, materials, application forms). The hub checks an edit as `kiosk-hub catalogue import` does and
// previews what it changes; only a previewed text is published, as a new version terminals fetch at their
// next beat. Uses console.js's `state`, `t` and `$`.
'use strict';

Object.assign(WORDS, {
  tab_catalogue: ['事项目录', 'Catalogue'],
  versions_title: ['事项目录版本', 'Catalogue versions'],
  col_published: ['发布时间', 'Published'],
  col_services: ['事项', 'Services'],
  col_announcements: ['公告', 'Announcements'],
  current_version: ['当前版本', 'current'],
  restore: ['恢复为最新版本', 'Make it the newest again'],
  confirm_restore: ['将 v{version} 重新发布为最新版本？终端会在下一次心跳时获取。', 'Publish v{version} again as the newest? Terminals fetch it at their next beat.'],
  by_command_line: ['命令行', 'command line'],
  announcements_title: ['公告（待机页轮播）', 'Announcements (the start screen shows them in turn)'],
  announcement_add: ['添加公告', 'Add an announcement'],
  announcement_remove: ['删除', 'Remove'],
  ann_title_zh: ['标题（中文）', 'Title (Chinese)'],
  ann_title_en: ['标题（英文）', 'Title (English)'],
  ann_body_zh: ['内容（中文）', 'Text (Chinese)'],
  ann_body_en: ['内容（英文）', 'Text (English)'],
  json_title: ['完整目录（JSON：主题、事项、材料、申报表单）', 'The whole catalogue (JSON: themes, services, materials, application forms)'],
  json_hint: ['与命令行 kiosk-hub catalogue import 使用同样的检查；发布前请先检查并预览。', 'Checked as `kiosk-hub catalogue import` checks it; check and preview before publishing.'],
  json_bad: ['JSON 格式有误：{why}', 'The JSON does not parse: {why}'],
  catalogue_check: ['检查并预览', 'Check and preview'],
  catalogue_publish: ['发布为新版本', 'Publish as a new version'],
  preview_title: ['预览', 'Preview'],
  preview_summary: ['检查通过：{services} 个事项，{themes} 个主题，{announcements} 条公告。', 'Checks out: {services} services, {themes} themes, {announcements} announcements.'],
  preview_added: ['新增事项：{name}', 'New service: {name}'],
  preview_removed: ['删除事项：{name}', 'Service removed: {name}'],
  preview_changed: ['修改事项：{name}（{parts}）', 'Service changed: {name} ({parts})'],
  preview_announcements: ['公告已修改', 'Announcements changed'],
  preview_nothing: ['与当前版本相同。', 'The same as the current version.'],
  published_catalogue: ['已发布为 v{version}，终端会在下一次心跳时获取。', 'Published as v{version}; terminals fetch it at their next beat.'],
});

const catalogueDesk = { view: null, previewed: null };

function catalogueError(text) { $('catalogue-error').textContent = text || ''; }

async function catalogueCall(path, body) {
  return consoleCall('/console/api/catalogue' + path, body);
}

function parsed() {
  try { return JSON.parse($('catalogue-json').value); } catch (error) {
    catalogueError(t('json_bad', { why: error.message }));
    return null;
  }
}

// The JSON changed: what was previewed no longer holds.
function edited() {
  catalogueDesk.previewed = null;
  $('catalogue-publish').disabled = true;
  $('catalogue-preview').hidden = true;
}

function renderVersions() {
  const body = $('catalogue-versions').querySelector('tbody');
  body.replaceChildren();
  for (const version of catalogueDesk.view.versions) {
    const row = document.createElement('tr');
    row.dataset.version = version.version;
    for (const text of ['v' + version.version,
      new Date(version.published_ms).toLocaleString(state.lang ? 'en-US' : 'zh-CN', { hour12: false }),
      version.operator || t('by_command_line'), String(version.services), String(version.announcements)]) {
      const td = document.createElement('td');
      td.textContent = text;
      row.append(td);
    }
    const actions = document.createElement('td');
    if (version.version === catalogueDesk.view.version) {
      actions.textContent = t('current_version');
    } else {
      const restore = document.createElement('button');
      restore.type = 'button';
      restore.className = 'restore';
      restore.textContent = t('restore');
      restore.addEventListener('click', async () => {
        if (!window.confirm(t('confirm_restore', { version: version.version }))) return;
        try {
          catalogueDesk.view = await catalogueCall('/' + version.version + '/restore', {});
          $('catalogue-json').value = catalogueDesk.view.json;
          edited();
          catalogueError(t('published_catalogue', { version: catalogueDesk.view.version }));
        } catch (error) { catalogueError(error.message); }
        renderCatalogue();
      });
      actions.append(restore);
    }
    row.append(actions);
    body.append(row);
  }
}

function renderAnnouncements() {
  const list = $('announcement-list');
  list.replaceChildren();
  const catalogue = parsed();
  if (!catalogue) return;
  (catalogue.announcements || []).forEach((announcement, index) => {
    const li = document.createElement('li');
    li.className = 'announcement';
    for (const [part, lang, words] of [['title', 'zh', 'ann_title_zh'], ['title', 'en', 'ann_title_en'],
      ['body', 'zh', 'ann_body_zh'], ['body', 'en', 'ann_body_en']]) {
      const label = document.createElement('label');
      const span = document.createElement('span');
      span.textContent = t(words);
      const input = document.createElement(part === 'body' ? 'textarea' : 'input');
      input.value = announcement[part][lang];
      input.dataset.part = part + '-' + lang;
      input.addEventListener('input', () => {
        const whole = parsed();
        if (!whole) return;
        whole.announcements[index][part][lang] = input.value;
        $('catalogue-json').value = JSON.stringify(whole, null, 2);
        edited();
      });
      label.append(span, input);
      li.append(label);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.textContent = t('announcement_remove');
    remove.addEventListener('click', () => {
      const whole = parsed();
      if (!whole) return;
      whole.announcements.splice(index, 1);
      $('catalogue-json').value = JSON.stringify(whole, null, 2);
      edited();
      renderAnnouncements();
    });
    li.append(remove);
    list.append(li);
  });
}

$('announcement-add').addEventListener('click', () => {
  const whole = parsed();
  if (!whole) return;
  whole.announcements = whole.announcements || [];
  whole.announcements.push({ title: { zh: '', en: '' }, body: { zh: '', en: '' } });
  $('catalogue-json').value = JSON.stringify(whole, null, 2);
  edited();
  renderAnnouncements();
});

$('catalogue-json').addEventListener('input', edited);
$('catalogue-json').addEventListener('change', renderAnnouncements);

function renderPreview(preview) {
  $('catalogue-preview').hidden = false;
  $('preview-summary').textContent = t('preview_summary', {
    services: preview.services, themes: preview.themes, announcements: preview.announcements.length,
  });
  const changes = $('preview-changes');
  changes.replaceChildren();
  const line = (text) => { const li = document.createElement('li'); li.textContent = text; changes.append(li); };
  const name = (text) => (state.lang ? text.en : text.zh);
  for (const added of preview.added) line(t('preview_added', { name: name(added) }));
  for (const removed of preview.removed) line(t('preview_removed', { name: name(removed) }));
  for (const [changed, parts] of preview.changed) line(t('preview_changed', { name: name(changed), parts: parts.join(', ') }));
  if (preview.announcements_changed) line(t('preview_announcements'));
  if (!changes.children.length) line(t('preview_nothing'));
  // The announcements as the start screen shows them.
  const cards = $('preview-announcements');
  cards.replaceChildren();
  for (const announcement of preview.announcements) {
    const card = document.createElement('div');
    card.className = 'announcement-card';
    const title = document.createElement('strong');
    title.textContent = name(announcement.title);
    const body = document.createElement('p');
    body.textContent = name(announcement.body);
    card.append(title, body);
    cards.append(card);
  }
}

$('catalogue-check').addEventListener('click', async () => {
  catalogueError('');
  const json = $('catalogue-json').value;
  if (!parsed()) return;
  try {
    const preview = await catalogueCall('/preview', { json });
    catalogueDesk.previewed = json;
    $('catalogue-publish').disabled = false;
    renderPreview(preview);
  } catch (error) {
    edited();
    catalogueError(error.message);
  }
});

$('catalogue-publish').addEventListener('click', async () => {
  const json = $('catalogue-json').value;
  if (json !== catalogueDesk.previewed) { edited(); return; }
  try {
    catalogueDesk.view = await catalogueCall('', { json });
    $('catalogue-json').value = catalogueDesk.view.json;
    edited();
    catalogueError(t('published_catalogue', { version: catalogueDesk.view.version }));
  } catch (error) { catalogueError(error.message); }
  renderCatalogue();
});

function renderCatalogue() {
  if ($('catalogue').hidden || !catalogueDesk.view) return;
  renderVersions();
  renderAnnouncements();
}

window.catalogueDesk = {
  async open() {
    try {
      catalogueDesk.view = await catalogueCall('');
      if (!catalogueDesk.previewed) $('catalogue-json').value = catalogueDesk.view.json;
    } catch (error) { catalogueError(error.message); }
    renderCatalogue();
  },
  render: renderCatalogue,
};
