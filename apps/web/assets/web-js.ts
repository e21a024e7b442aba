/**
 * Progressive enhancement only; every page works without it:
 * - `form[data-auto-submit]`: submits when one of its fields changes (the "as of" controls), the button stays for no-JS;
 * - `[data-refresh-seconds]` on <body>: reloads the page while it is open (a ballot nearing its deadline), paused
 *   while the person is typing in a form.
 */
export const WEB_JS = `
document.querySelectorAll('form[data-auto-submit]').forEach(function (form) {
  form.addEventListener('change', function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
});
(function () {
  var seconds = Number(document.body.getAttribute('data-refresh-seconds'));
  if (!seconds) return;
  setInterval(function () {
    var active = document.activeElement;
    if (active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) return;
    location.reload();
  }, seconds * 1000);
})();
`;
