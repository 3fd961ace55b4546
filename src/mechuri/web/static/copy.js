// 메추리: copy buttons (a reply, a new API token, a plan as text). Loaded with app.js and uses its el().
// The Clipboard API needs a secure context (https or localhost); elsewhere the text is selected in a hidden
// field and copied the old way, and when even that fails the button says so instead of pretending.
"use strict";

const COPY_STRINGS = {
  copy: "복사", copied: "복사했어요 ✓", failed: "복사하지 못했어요. 직접 선택해서 복사해 주세요.",
  reply: "답변 복사",
};
const COPIED_MS = 2000;

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (err) {
      // permission refused: try the old way below
    }
  }
  const area = el("textarea", { readonly: true, class: "sr-only", "aria-hidden": "true", tabindex: "-1" });
  area.value = text;
  document.body.append(area);
  area.select();
  let done = false;
  try { done = document.execCommand("copy"); } catch (err) { done = false; }
  area.remove();
  return done;
}

// A 「복사」 button (label: its accessible name when the word 복사 alone would be ambiguous) and a status
// that a screen reader hears; getText is called on click, so the latest text is copied.
function copyButton(getText, { label = COPY_STRINGS.copy, text = COPY_STRINGS.copy } = {}) {
  const status = el("span", { class: "copy-status", role: "status" });
  const button = el("button", { type: "button", class: "ghost small copy", "aria-label": label }, text);
  button.addEventListener("click", async () => {
    const done = await copyText(getText());
    status.textContent = done ? COPY_STRINGS.copied : COPY_STRINGS.failed;
    if (done) setTimeout(() => { status.textContent = ""; }, COPIED_MS);
  });
  return el("span", { class: "copy-wrap" }, button, status);
}

// The row under an assistant's reply: copy its text.
function replyCopy(text) {
  return el("div", { class: "msg-actions" }, copyButton(() => text, { label: COPY_STRINGS.reply }));
}
