// Staff accounts in the console (admins only; the hub refuses anyone else): the list with each role,
// departments and lockout; add or change an account; end a lockout. Uses console.js's `state`, `t` and `$`.
'use strict';

Object.assign(WORDS, {
  tab_staff: ['账号', 'Accounts'],
  staff_title: ['工作人员账号', 'Staff accounts'],
  staff_name: ['姓名', 'Name'],
  staff_number: ['工号', 'Staff no.'],
  staff_role: ['角色', 'Role'],
  staff_departments: ['负责部门', 'Departments'],
  staff_departments_hint: ['负责部门（审批人员，多个用顿号分隔）', 'Departments (reviewers; separate with 、)'],
  staff_password: ['密码（新账号必填，至少 8 位）', 'Password (a new account needs one, 8 characters or more)'],
  staff_save: ['添加或修改账号', 'Add or change an account'],
  staff_submit: ['保存', 'Save'],
  role_guide: ['导办', 'Guide'],
  role_reviewer: ['审批', 'Reviewer'],
  role_operator: ['运维', 'Operator'],
  role_admin: ['管理员', 'Admin'],
  locked_until: ['已锁定至 {time}', 'locked until {time}'],
  unlock: ['解锁', 'Unlock'],
  edit: ['修改', 'Edit'],
  saved: ['已保存。', 'Saved.'],
});

const staffDesk = { accounts: [] };

async function staffCall(path, body) {
  return consoleCall('/console/api/staff' + path, body);
}

function renderStaff() {
  const body = $('staff-list').querySelector('tbody');
  body.replaceChildren();
  for (const account of staffDesk.accounts) {
    const row = document.createElement('tr');
    row.dataset.username = account.username;
    const role = t('role_' + account.role) +
      (account.locked_until_ms ? ' · ' + t('locked_until', { time: new Date(account.locked_until_ms).toLocaleTimeString() }) : '');
    for (const text of [account.username, account.name, account.number, role, account.departments.join('、')]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    const actions = document.createElement('td');
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.textContent = t('edit');
    edit.addEventListener('click', () => {
      $('staff-username').value = account.username;
      $('staff-name').value = account.name;
      $('staff-number').value = account.number;
      $('staff-password').value = '';
      $('staff-role').value = account.role;
      $('staff-departments').value = account.departments.join('、');
    });
    actions.append(edit);
    if (account.locked_until_ms) {
      const unlock = document.createElement('button');
      unlock.type = 'button';
      unlock.className = 'unlock';
      unlock.textContent = t('unlock');
      unlock.addEventListener('click', async () => {
        try {
          staffDesk.accounts = await staffCall('/' + encodeURIComponent(account.username) + '/unlock', {});
          renderStaff();
        } catch (error) { $('staff-error').textContent = error.message; }
      });
      actions.append(unlock);
    }
    row.append(actions);
    body.append(row);
  }
}

$('staff-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('staff-error').textContent = '';
  const form = {
    username: $('staff-username').value.trim(),
    name: $('staff-name').value.trim(),
    number: $('staff-number').value.trim(),
    role: $('staff-role').value,
    departments: $('staff-departments').value.split(/[、,，]/).map((d) => d.trim()).filter(Boolean),
  };
  if ($('staff-password').value) form.password = $('staff-password').value;
  try {
    staffDesk.accounts = await staffCall('', form);
    $('staff-password').value = '';
    $('staff-error').textContent = t('saved');
    renderStaff();
  } catch (error) {
    $('staff-error').textContent = error.message;
  }
});

window.staffDesk = {
  async open() {
    try {
      staffDesk.accounts = await staffCall('');
    } catch (error) {
      $('staff-error').textContent = error.message;
    }
    renderStaff();
  },
  render() {
    if (!$('staff').hidden) renderStaff();
  },
};
