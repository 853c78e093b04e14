// The phone's side of 手机扫码上传: the page's token is in its path; each chosen photo is checked (type and
// size) and sent as it is to the hub, which keeps it by its SHA-256 for the terminal that showed the code.
(() => {
  const token = location.pathname.split('/').pop();
  const $ = (id) => document.getElementById(id);
  const MAX = 4 * 1024 * 1024;
  const say = window.say;
  const closed = (status) => {
    $('pick').hidden = true;
    $('done').hidden = true;
    if (status === 410) say('此二维码已过期或已使用，请在终端上重新扫码。', 'This code has expired or was used: scan the new one on the terminal.', true);
    else say('无法连接，请稍后再试。', 'Cannot connect; try again shortly.', true);
  };
  let max = 1;
  fetch('/m/' + token + '/info').then(async (reply) => {
    if (!reply.ok) return closed(reply.status);
    const info = await reply.json();
    max = info.max_pages;
    $('what').textContent = info.title_zh + ' · ' + info.title_en;
    say('请拍摄材料，最多 ' + max + ' 张（已传 ' + info.pages + ' 张）', 'Photograph the document: up to ' + max + ' (' + info.pages + ' sent)');
    $('pick').hidden = false;
    $('done').hidden = false;
  }).catch(() => closed(0));
  $('files').addEventListener('change', async () => {
    for (const file of $('files').files) {
      const item = document.createElement('li');
      item.textContent = file.name + ' …';
      $('sent').append(item);
      if (!['image/jpeg', 'image/png'].includes(file.type)) {
        item.textContent = file.name + '：只接受 JPEG 或 PNG 照片 / only JPEG or PNG photos';
        continue;
      }
      if (file.size > MAX) {
        item.textContent = file.name + '：照片超过 4 MB / over 4 MB';
        continue;
      }
      const reply = await fetch('/m/' + token + '/pages', { method: 'POST', headers: { 'Content-Type': file.type }, body: file });
      if (reply.status === 410) return closed(410);
      const answer = await reply.json().catch(() => ({}));
      item.textContent = reply.ok
        ? file.name + '：已上传 / sent (' + answer.pages + '/' + max + ')'
        : file.name + '：' + (answer.error || reply.status);
      item.dataset.sent = reply.ok ? 'yes' : 'no';
    }
    $('files').value = '';
  });
  $('done').addEventListener('click', async () => {
    const reply = await fetch('/m/' + token + '/done', { method: 'POST' });
    if (!reply.ok) return closed(reply.status);
    $('pick').hidden = true;
    $('done').hidden = true;
    say('上传完成，请回到终端继续办理。', 'Done: carry on at the terminal.');
  });
})();
