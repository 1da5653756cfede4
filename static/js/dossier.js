// Dossier export status page: poll the JSON status every second and update the progress bar,
// the live text and the download links. Without JavaScript the page still works (reload it).
(function () {
  "use strict";
  var root = document.getElementById("dossier-status");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("dossier-progress");
  var text = document.getElementById("dossier-status-text");
  var error = document.getElementById("dossier-error");
  var downloads = document.getElementById("dossier-downloads");
  var list = document.getElementById("dossier-download-list");
  var lastAnnounced = -1;

  function render(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    root.setAttribute("data-status", data.status);
    // Announce every 10% (and the end) so screen readers are not flooded.
    var step = Math.floor(data.progress / 10);
    if (data.status === "done" || data.status === "failed" || step !== lastAnnounced) {
      lastAnnounced = step;
      text.textContent = data.status_label + (data.status === "failed" ? "" : " - " + data.progress + "%");
    }
    if (data.error) {
      error.textContent = data.error;
      error.hidden = false;
    }
    if (data.downloads && data.downloads.length) {
      list.textContent = "";
      data.downloads.forEach(function (d) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = d.url;
        link.setAttribute("download", "");
        link.textContent = d.label;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + d.name + ")"));
        list.appendChild(item);
      });
      downloads.hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (data.status === "pending" || data.status === "running") { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  var initial = root.getAttribute("data-status");
  if (initial === "pending" || initial === "running") { window.setTimeout(poll, 1000); }
})();
