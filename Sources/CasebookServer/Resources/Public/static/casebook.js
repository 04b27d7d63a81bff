// Casebook's small script: keyboard shortcuts, live presence on the case page, canned-response insertion,
// repeated-update warnings and intake branching. Every page works without it.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // Times are printed in UTC by the server; show them in the zone the reader chose on their account page (else their
  // browser's), written the way the page's language writes dates.
  var zone = (document.querySelector('meta[name="casebook-zone"]') || {}).content;
  var lang = document.documentElement.lang || undefined;
  function readerTime(d) {
    var options = { dateStyle: "medium", timeStyle: "short" };
    if (zone) { options.timeZone = zone; options.timeZoneName = "short"; delete options.dateStyle; delete options.timeStyle;
      options.year = "numeric"; options.month = "short"; options.day = "numeric"; options.hour = "2-digit"; options.minute = "2-digit"; }
    try { return d.toLocaleString(lang, options); } catch (e) { return d.toLocaleString(); }
  }
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (!isNaN(d)) { el.title = el.textContent; el.textContent = readerTime(d); }
  });

  // --- Queue: j/k to move, x to select, o/Enter to open, / to search, ? for help --------------------------
  var table = document.getElementById("case-table");
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")) : [];
  var current = -1;
  function select(index) {
    if (!rows.length) return;
    if (current >= 0) rows[current].classList.remove("selected");
    current = Math.max(0, Math.min(rows.length - 1, index));
    var row = rows[current];
    row.classList.add("selected");
    var link = row.querySelector("a.case-link");
    if (link) link.focus();
  }
  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) { if (event.key === "Escape") event.target.blur(); return; }
    var key = event.key;
    if (pendingG) { pendingG = false; if (key === "q") { location.href = "/desk"; event.preventDefault(); } return; }
    if (key === "g") { pendingG = true; return; }
    if (key === "?") { var help = document.getElementById("help"); if (help) help.hidden = !help.hidden; event.preventDefault(); return; }
    if (rows.length) {
      if (key === "j") { select(current + 1); event.preventDefault(); }
      else if (key === "k") { select(current - 1); event.preventDefault(); }
      else if (key === "x" && current >= 0) { var box = rows[current].querySelector("input[type=checkbox]"); box.checked = !box.checked; event.preventDefault(); }
      else if ((key === "o") && current >= 0) { location.href = rows[current].querySelector("a.case-link").href; event.preventDefault(); }
    }
    // "/" searches every case, not only the queue on screen; the queue's own filter box is a Tab away.
    if (key === "/") { var q = document.getElementById("global-q") || document.getElementById("q"); if (q) { q.focus(); event.preventDefault(); } }
    var text = document.getElementById("reply-text");
    if (text && (key === "r" || key === "n")) {
      document.getElementById(key === "r" ? "vis-public" : "vis-internal").checked = true;
      text.focus(); event.preventDefault();
    }
  });

  // --- Case page: presence heartbeat and the live event stream -------------------------------------------------
  var casePage = document.querySelector(".case-page[data-reference]");
  if (casePage) {
    var reference = casePage.getAttribute("data-reference");
    var version = parseInt(casePage.getAttribute("data-version"), 10);
    var position = parseInt(casePage.getAttribute("data-position"), 10) || 0;
    var text = document.getElementById("reply-text");
    var replying = false;
    // Leaving is told with fetch's keepalive, which outlives the page like sendBeacon but can carry the CSRF header.
    function beat(leaving) {
      var body = JSON.stringify({ replying: replying, leaving: !!leaving });
      fetch("/desk/cases/" + reference + "/presence", { method: "POST", credentials: "same-origin", keepalive: !!leaving,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: body }).catch(function () {});
    }
    function show(state) {
      var box = document.getElementById("presence");
      var parts = state.others.map(function (o) { return o.name + (o.replying ? " is replying to this case" : " is viewing this case"); });
      box.textContent = parts.length ? "Heads up: " + parts.join("; ") + "." : "";
      if (state.version > version || state.position > position) document.getElementById("changed").hidden = false;
    }
    beat(false);
    setInterval(function () { beat(false); }, 10000);
    window.addEventListener("pagehide", function () { beat(true); });
    if (text) {
      text.addEventListener("input", function () {
        var now = text.value.trim().length > 0;
        if (now !== replying) { replying = now; beat(false); }
      });
    }
    if (window.EventSource) {
      var source = new EventSource("/desk/cases/" + reference + "/events");
      source.addEventListener("state", function (event) { try { show(JSON.parse(event.data)); } catch (e) {} });
    }
    // Canned responses: fill the composer in place instead of reloading the page.
    var canned = document.getElementById("canned");
    var insert = document.getElementById("canned-insert");
    if (canned && insert && text) {
      insert.addEventListener("click", function (event) {
        if (!canned.value) return;
        event.preventDefault();
        fetch("/api/v1/cases/" + reference + "/canned-responses/" + canned.value + "/render", { method: "POST", credentials: "same-origin",
          headers: { "X-CSRF-Token": csrf } })
          .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
          .then(function (body) { text.value = text.value ? text.value + "\n\n" + body.text : body.text; text.focus(); text.dispatchEvent(new Event("input")); })
          .catch(function () { canned.form.submit(); });
      });
    }
    // Warn before sending an update that repeats the previous one.
    var warning = document.getElementById("repeat-warning");
    var timer = null;
    if (text && warning) {
      text.addEventListener("input", function () {
        clearTimeout(timer);
        if (!document.getElementById("vis-public").checked || text.value.trim().length < 20) { warning.hidden = true; return; }
        timer = setTimeout(function () {
          fetch("/api/v1/cases/" + reference + "/messages/similarity", { method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify({ text: text.value }) })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (w) {
              if (w && w.similarity >= w.threshold) {
                warning.textContent = warning.getAttribute("data-text").replace("{{percent}}", String(Math.round(w.similarity * 100)));
                warning.hidden = false;
              } else { warning.hidden = true; }
            }).catch(function () {});
        }, 600);
      });
    }
  }

  // --- Intake: show a question only when its condition is met -----------------------------------------------
  var intake = document.getElementById("intake");
  if (intake) {
    var conditional = intake.querySelectorAll(".question[data-show-when]");
    function answerOf(key) {
      var checked = intake.querySelector('input[name="answer_' + key + '"]:checked');
      if (checked) return checked.value;
      var field = intake.querySelector('[name="answer_' + key + '"]:not([type=radio])');
      if (field) return field.value;
      var known = document.getElementById("q-" + key);
      return known && known.querySelector(".known") ? "__known__" : "";
    }
    function visible(question) {
      var when = question.getAttribute("data-show-when");
      var parent = document.getElementById("q-" + when);
      if (parent && parent.hidden) return false;
      return question.getAttribute("data-show-values").split("|").indexOf(answerOf(when)) >= 0;
    }
    function refresh() {
      conditional.forEach(function (q) {
        q.hidden = !visible(q);
        var note = q.querySelector(".condition"); if (note) note.hidden = true;
      });
    }
    // Suggest knowledge articles while the customer describes the problem, before they file.
    var box = document.getElementById("kb-suggestions");
    var subject = document.getElementById("subject");
    var description = document.getElementById("description");
    var suggestTimer = null;
    function suggest() {
      clearTimeout(suggestTimer);
      var q = (subject.value + " " + description.value).trim();
      if (q.length < 8) return;
      suggestTimer = setTimeout(function () {
        fetch("/api/v1/knowledge/suggest?q=" + encodeURIComponent(q.slice(0, 2000)), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (found) {
            if (!found) return;
            var list = box.querySelector("ul");
            list.textContent = "";
            found.articles.forEach(function (a) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = a.url; link.target = "_blank"; link.rel = "noopener"; link.textContent = a.title;
              link.addEventListener("click", function () {
                if (!found.suggestion_id) return;
                fetch("/api/v1/knowledge/suggestions/" + found.suggestion_id + "/read", { method: "POST", credentials: "same-origin",
                  headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify({ article_id: a.id }) });
              });
              var snippet = document.createElement("p"); snippet.className = "hint"; snippet.textContent = a.snippet;
              item.appendChild(link); item.appendChild(snippet); list.appendChild(item);
            });
            box.hidden = found.articles.length === 0;
            if (found.suggestion_id) document.getElementById("suggestion-id").value = found.suggestion_id;
          }).catch(function () {});
      }, 500);
    }
    if (box && subject && description) { subject.addEventListener("input", suggest); description.addEventListener("input", suggest); }
    intake.addEventListener("change", refresh);
    intake.addEventListener("input", refresh);
    refresh();
  }

  // --- Header: the unread notices count, kept current while a staff page is open -------------------------------
  // --- Imports: stream an export's zip to the API with a progress bar, then start its import ----------------------
  // Without this the form posts the file whole, which every form limits to 40 MB; an export is often larger.
  var uploadForm = document.getElementById("import-upload");
  if (uploadForm && window.XMLHttpRequest) {
    var uploadError = document.getElementById("upload-error");
    var fail = function (reason) {
      document.getElementById("upload-progress").hidden = true;
      document.getElementById("upload-submit").disabled = false;
      uploadError.textContent = uploadForm.getAttribute("data-refused").replace("{{reason}}", reason);
      uploadError.hidden = false;
      uploadError.focus();
    };
    var detail = function (status, body) {
      try { var problem = JSON.parse(body); return problem.detail || problem.title || String(status); } catch (e) { return String(status); }
    };
    uploadForm.addEventListener("submit", function (event) {
      var file = document.getElementById("upload-file").files[0];
      if (!file) return;
      event.preventDefault();
      // Said before a byte is sent: an export too large would otherwise upload for minutes only to be refused.
      var limit = parseInt(uploadForm.getAttribute("data-limit-mb"), 10);
      if (limit && file.size > limit * 1048576) {
        uploadError.textContent = uploadForm.getAttribute("data-too-large").replace("{{size}}", String(Math.ceil(file.size / 1048576)))
          .replace("{{limit}}", String(limit));
        uploadError.hidden = false;
        uploadError.focus();
        return;
      }
      var token = uploadForm.querySelector('input[name="_csrf"]').value;
      var status = document.getElementById("upload-status"), bar = document.getElementById("upload-bar");
      var shown = function (percent) { status.textContent = uploadForm.getAttribute("data-uploading").replace("{{percent}}", String(percent)); bar.value = percent; };
      uploadError.hidden = true;
      document.getElementById("upload-submit").disabled = true;
      document.getElementById("upload-progress").hidden = false;
      shown(0);
      var request = new XMLHttpRequest();
      request.open("POST", "/api/v1/imports/uploads?name=" + encodeURIComponent(file.name));
      request.setRequestHeader("Content-Type", "application/zip");
      request.setRequestHeader("Accept", "application/json");
      request.setRequestHeader("X-CSRF-Token", token);
      request.upload.onprogress = function (e) { if (e.lengthComputable) shown(Math.floor(e.loaded * 100 / e.total)); };
      request.onerror = function () { fail(String(request.status || "network")); };
      request.onload = function () {
        if (request.status !== 201) { fail(detail(request.status, request.responseText)); return; }
        shown(100);
        status.textContent = uploadForm.getAttribute("data-starting");
        var folder = JSON.parse(request.responseText).folder;
        fetch("/api/v1/imports", { method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token },
          body: JSON.stringify({ source: document.getElementById("upload-source").value, folder: folder }) })
          .then(function (r) { return r.text().then(function (body) { return { ok: r.ok, status: r.status, body: body }; }); })
          .then(function (answer) {
            if (!answer.ok) { fail(detail(answer.status, answer.body)); return; }
            location.href = "/admin/imports/" + JSON.parse(answer.body).id;
          }).catch(function () { fail("network"); });
      };
      request.send(file);
    });
  }

  var notices = document.querySelector(".top .notices .count");
  if (notices) {
    var number = notices.firstChild;
    setInterval(function () {
      if (document.hidden) return;
      fetch("/api/v1/notifications?limit=0", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (found) {
          if (!found) return;
          number.nodeValue = String(found.unread_count);
          notices.hidden = found.unread_count === 0;
        }).catch(function () {});
    }, 20000);
  }
})();
