/* Progressive enhancement for the staff pages under /werk/. Everything works without it.
 *
 * - A per-point admissibility form shows the reason codes only when "Nee" (inadmissible) is chosen.
 * - A per-point decision form shows the alternative decision and the reason only when the
 *   official departs from the advice.
 * Hidden parts keep their values; the server validates everything again.
 */
(function () {
  "use strict";

  function toggleDependent(form, radioName, wrapperNames, showWhen) {
    var radios = form.querySelectorAll('input[type="radio"][name$="-' + radioName + '"]');
    if (!radios.length) { return; }
    var wrappers = [];
    wrapperNames.forEach(function (name) {
      var field = form.querySelector('[name$="-' + name + '"]');
      var wrapper = field ? field.closest(".field") : null;
      if (wrapper) { wrappers.push(wrapper); }
    });
    function update() {
      var chosen = form.querySelector('input[type="radio"][name$="-' + radioName + '"]:checked');
      var show = !chosen || chosen.value === showWhen || wrappers.some(function (w) {
        return w.classList.contains("field--error");
      });
      wrappers.forEach(function (wrapper) { wrapper.hidden = !show; });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  document.querySelectorAll("form").forEach(function (form) {
    toggleDependent(form, "admissible", ["reasons"], "0");
    toggleDependent(form, "follow_advice", ["decision", "reason"], "0");
  });
})();
