// What the hub's phone pages share: `say` puts a line in both languages into the page's #state (an error in
// the error colours when `bad`).
window.say = (zh, en, bad) => {
  const state = document.getElementById('state');
  state.innerHTML = '';
  state.append(zh, document.createElement('br'));
  const small = document.createElement('small');
  small.textContent = en;
  state.append(small);
  state.classList.toggle('bad', !!bad);
};
