// 메추리: a question whose answer never came — the server stopped in the middle of its turn, and on the
// next start it was marked failed (GET /api/messages says state: "failed") — is shown with a note and a
// 「다시 보내기」 button that sends the same words again. Loaded after app.js; uses its el and chatSay.
"use strict";

const FAILED_TURN_STRINGS = {
  note: "서버가 멈춰서 이 질문에는 답하지 못했어요.",
  resend: "다시 보내기",
};

// The note for a failed question from the history (null for every other message).
function failedTurnNote(message) {
  if (message.role !== "user" || message.state !== "failed") return null;
  const note = el("div", { class: "error-note failed-turn", role: "status" }, FAILED_TURN_STRINGS.note);
  note.append(el("button", { type: "button", class: "ghost small", onclick: () => {
    if (!chatSay || document.body.classList.contains("busy")) return;  // one reply at a time, as the composer
    note.remove();
    chatSay(message.content);
  } }, FAILED_TURN_STRINGS.resend));
  return note;
}
