/* The party portal's only script. Everything works without it; with it:
   - the error summary gets focus when a page shows errors;
   - buttons marked data-submit-once do not send a form twice;
   - the document upload sends each file on its own (XHR) with a progress bar and shows the
     server's message next to each file. The server checks every file; nothing here is trusted. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function say(region, text, isError) {
    if (!region) { return; }
    region.textContent = "";
    var p = document.createElement("p");
    p.className = isError ? "message message--error" : "message";
    p.textContent = text;
    region.appendChild(p);
  }

  function updateVersions(version) {
    var inputs = document.querySelectorAll("input[name=expected_version]");
    for (var i = 0; i < inputs.length; i++) { inputs[i].value = String(version); }
  }

  function addItem(list, file, busyText) {
    var li = document.createElement("li");
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", busyText + ": " + file.name);
    var message = document.createElement("span");
    message.className = "upload-message";
    message.textContent = busyText + "...";
    li.appendChild(name);
    li.appendChild(progress);
    li.appendChild(message);
    list.appendChild(li);
    return { li: li, progress: progress, message: message };
  }

  function show(item, ok, text, data) {
    if (ok) {
      item.progress.value = 100;
    } else {
      // a refused file is not "done": no full bar next to it, only the reason
      item.progress.parentNode.removeChild(item.progress);
      item.li.classList.add("upload-refused");
    }
    item.message.className = ok ? "upload-ok" : "upload-error";
    item.message.textContent = (ok ? data.msgDone : data.msgFailed) + ": " + text;
  }

  function clearOldErrors(form) {
    // a new attempt: the page's earlier error summary and field errors no longer describe what is on screen
    var summary = document.getElementById("error-summary");
    if (summary) { summary.parentNode.removeChild(summary); }
    var errors = form.querySelectorAll(".field-error");
    for (var i = 0; i < errors.length; i++) { errors[i].parentNode.removeChild(errors[i]); }
    var marked = form.querySelectorAll(".field--error, [aria-invalid=true]");
    for (var j = 0; j < marked.length; j++) {
      marked[j].classList.remove("field--error");
      marked[j].removeAttribute("aria-invalid");
    }
  }

  function send(form, docType, file, item, done) {
    var data = form.dataset;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("doc_type", docType);
    body.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { item.progress.value = Math.round((event.loaded / event.total) * 99); }
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      var result = answer && answer.results && answer.results[0];
      var ok = xhr.status === 200 && answer !== null && answer.ok === true;
      var text;
      if (result && result.message) {
        text = result.message;
      } else if (answer && answer.errors && answer.errors.length) {
        text = answer.errors.join(" ");
      } else {
        text = data.msgNetwork;
      }
      show(item, ok, text, data);
      if (answer && answer.version) { updateVersions(answer.version); }
      done(ok);
    });
    xhr.addEventListener("error", function () {
      show(item, false, data.msgNetwork, data);
      done(false);
    });
    xhr.send(body);
  }

  function enhanceUpload(form) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    var input = form.querySelector("input[type=file]");
    var select = form.querySelector("select[name=doc_type]");
    var list = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    if (!input || !select || !list) { return; }
    list.setAttribute("aria-live", "polite");
    var busy = false;

    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length || !select.value) { return; }  // the server shows which field is missing
      event.preventDefault();
      if (busy) { return; }
      var data = form.dataset;
      var total = files.reduce(function (sum, f) { return sum + f.size; }, 0);
      if (files.length > Number(data.maxFiles)) { say(status, data.msgTooMany, true); return; }
      if (total > Number(data.maxBytes) * 1024 * 1024) { say(status, data.msgTooLarge, true); return; }
      busy = true;
      clearOldErrors(form);
      list.textContent = "";
      say(status, data.msgBusy + "...");
      var items = files.map(function (file) { return addItem(list, file, data.msgBusy); });
      var failed = 0;
      var index = 0;

      function finish() {
        busy = false;
        if (!failed) {
          say(status, data.msgSummaryOk);
          // the documents page, also when this page is the answer to a form posted without the script
          var url = (data.doneUrl || window.location.pathname) + "?toegevoegd=" + files.length;
          window.location.assign(url);
          return;
        }
        say(status, data.msgSummaryFailed, true);
        var link = document.createElement("a");
        link.href = data.doneUrl || window.location.pathname;
        link.textContent = data.msgRefresh;
        status.appendChild(link);
        input.value = "";
      }

      function next() {
        if (index >= files.length) { finish(); return; }
        var current = index;
        index += 1;
        send(form, select.value, files[current], items[current], function (ok) {
          if (!ok) { failed += 1; }
          next();
        });
      }
      next();
    });
  }

  ready(function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }

    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        if (!form.querySelector("[data-submit-once]")) { return; }
        form.addEventListener("submit", function (event) {
          if (form.getAttribute("data-submitted") === "1") { event.preventDefault(); return; }
          form.setAttribute("data-submitted", "1");
        });
      })(forms[i]);
    }
    window.addEventListener("pageshow", function () {
      var sent = document.querySelectorAll("form[data-submitted]");
      for (var j = 0; j < sent.length; j++) { sent[j].removeAttribute("data-submitted"); }
    });

    var uploads = document.querySelectorAll("form[data-upload]");
    for (var k = 0; k < uploads.length; k++) { enhanceUpload(uploads[k]); }
  });
})();
