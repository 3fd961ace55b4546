// 메추리 계정 tab (templates/_account.html): change my password, delete my account. Loaded after app.js and
// uses its api() helper; the export is a plain link (a GET the session cookie authenticates, saved as a file).
// Errors are shown in the form's alert line and focus moves to the field to fix.
"use strict";

const ACCOUNT_STRINGS = {
  empty: "비밀번호를 입력해 주세요.",
  mismatch: "새 비밀번호 두 칸이 서로 달라요.",
  changed: "비밀번호를 바꿨어요. 다른 기기와 API 토큰은 모두 로그아웃됐어요.",
  notUnderstood: "삭제하려면 확인란에 체크해 주세요.",
  networkError: "연결이 끊겼어요. 잠시 뒤에 다시 해 주세요.",
};

function showAccountError(form, message, field) {
  const box = form.querySelector(".form-error");
  box.textContent = message;
  box.hidden = false;
  if (field && form.elements[field]) form.elements[field].focus();
}

function clearAccountError(form) {
  const box = form.querySelector(".form-error");
  box.hidden = true;
  box.textContent = "";
}

// Which field a refusal is about: the current password when it was wrong, the new one when it broke a rule.
function accountErrorField(err, wrongField, ruleField) {
  const code = err.body && err.body.error && err.body.error.code;
  if (code === "wrong_password") return wrongField;
  return err.status === 422 ? ruleField : null;
}

async function changePassword(event) {
  event.preventDefault();
  const form = event.target;
  const status = form.querySelector(".saved");
  clearAccountError(form);
  status.textContent = "";
  const current = form.elements.current_password.value;
  const next = form.elements.new_password.value;
  if (!current) return showAccountError(form, ACCOUNT_STRINGS.empty, "current_password");
  if (next !== form.elements.new_password_again.value) {
    return showAccountError(form, ACCOUNT_STRINGS.mismatch, "new_password_again");
  }
  try {
    const result = await api("POST", "/api/account/password", { current_password: current, new_password: next });
    // this browser's session was issued again: later requests must send the new CSRF token
    document.querySelector('meta[name="csrf-token"]').content = result.csrf_token;
    form.reset();
    status.textContent = ACCOUNT_STRINGS.changed;
  } catch (err) {
    const message = err.name === "TypeError" ? ACCOUNT_STRINGS.networkError : err.message;
    showAccountError(form, message, accountErrorField(err, "current_password", "new_password"));
  }
}

async function deleteAccount(event) {
  event.preventDefault();
  const form = event.target;
  clearAccountError(form);
  if (!form.elements.password.value) return showAccountError(form, ACCOUNT_STRINGS.empty, "password");
  if (!form.elements.understood.checked) return showAccountError(form, ACCOUNT_STRINGS.notUnderstood, "understood");
  try {
    await api("DELETE", "/api/account", { password: form.elements.password.value });
    sessionStorage.clear();  // no draft of a deleted account's message survives either
    location.href = "/";
  } catch (err) {
    const message = err.name === "TypeError" ? ACCOUNT_STRINGS.networkError : err.message;
    showAccountError(form, message, accountErrorField(err, "password", "password"));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.page !== "chat") return;
  document.getElementById("password-form").addEventListener("submit", changePassword);
  document.getElementById("delete-form").addEventListener("submit", deleteAccount);
});
