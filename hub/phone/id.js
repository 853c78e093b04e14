// The government app's stand-in (亮码): the page's token is in its path; it fetches a fresh signed code from
// the hub, shows it as a QR with the seconds it has left, and fetches the next one before it runs out.
(() => {
  const token = location.pathname.split('/').pop();
  const $ = (id) => document.getElementById(id);
  const say = window.say;
  let expires = 0;
  let skew = 0;
  let timer = null;
  const tick = () => {
    const left = Math.max(0, Math.ceil((expires - (Date.now() + skew)) / 1000));
    $('left').textContent = left + ' 秒后自动刷新 · refreshes in ' + left + ' s';
    // A new code a few seconds before this one runs out, so the one on the screen always works.
    if (left <= 5) fresh();
  };
  let asking = false;
  const fresh = async () => {
    if (asking) return;
    asking = true;
    try {
      const reply = await fetch('/id/' + token + '/code', { cache: 'no-store' });
      if (!reply.ok) {
        clearInterval(timer);
        $('box').hidden = true;
        $('again').hidden = reply.status === 404;
        if (reply.status === 404) say('找不到此账户，请重新打开服务给您的链接。', 'No such account: open the link the service gave you again.', true);
        else say('无法连接，请稍后再试。', 'Cannot connect; try again shortly.', true);
        return;
      }
      const code = await reply.json();
      skew = code.now_ms - Date.now();
      expires = code.expires_ms;
      $('qr').src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(code.svg);
      $('qr').dataset.issued = String(code.issued_ms);
      $('holder').textContent = code.name + '　' + code.id;
      $('box').hidden = false;
      $('again').hidden = false;
      say('请将身份码对准终端扫码窗口', 'Hold the code to the terminal\u2019s scanner');
      clearInterval(timer);
      timer = setInterval(tick, 1000);
      tick();
    } catch (_) {
      say('无法连接，请稍后再试。', 'Cannot connect; try again shortly.', true);
      $('again').hidden = false;
    } finally {
      asking = false;
    }
  };
  $('again').addEventListener('click', fresh);
  fresh();
})();
