// The supporters' page, enhanced. The form works without this file (a plain POST
// gives back the page with the card); this adds a live preview, moving and zooming
// the photo by drag, buttons or keys, download, sharing and copy buttons.
// No third-party code and no requests anywhere but this server.
(function () {
  "use strict";
  var form = document.querySelector(".card-form");
  if (!form || !window.fetch || !window.FormData) return;
  var d = form.dataset;
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return k in values ? values[k] : ""; });
  };

  // --- the pledge's character count (GOV.UK character-count pattern) ---------------
  var own = $("#pledge_own"), ownRadio = $("#pledge-choice-own");
  var count = $("#pledge_own-count"), countLive = $("#pledge_own-count-live");
  var max = parseInt(d.pledgeMax, 10), countTimer = null;
  var counts = JSON.parse(d.count || "{}");
  // What a number written in figures does to the noun after it, as in Irish
  // (imhcard/core/irish.py number_mutation; the last two figures decide): 1, 11 and
  // ...1 lenite (aon: not d, t, s); 2-6, 12-16, ...2-6 lenite; 7-10, 17-19, ...7-9
  // eclipse; 0, the tens and whole hundreds leave it as it is.
  function mutation(n) {
    var r = n % 100, unit = r % 10;
    if (n === 0 || r === 0 || (r >= 20 && unit === 0)) return "none";
    if (r === 10) return "eclipsis";
    if (unit === 1) return "lenition_aon";
    return unit <= 6 ? "lenition" : "eclipsis";
  }
  function countText() {
    var left = max - Array.from(own.value.trim()).length, n = Math.abs(left);
    if (n === 0) return counts.none_left;
    if (n === 1) return left > 0 ? counts.one_left : counts.one_over;
    return fill(left > 0 ? counts.left : counts.over, { count: n + " " + counts.noun[mutation(n)] });
  }
  function updateCount() {
    var text = countText();
    count.textContent = text;
    count.classList.toggle("over", Array.from(own.value.trim()).length > max);
    clearTimeout(countTimer);  // announce once typing pauses, not on every key
    countTimer = setTimeout(function () { countLive.textContent = text; }, 1000);
  }
  own.addEventListener("input", function () {
    if (own.value.trim()) ownRadio.checked = true;
    updateCount();
  });
  updateCount();
  countLive.textContent = "";

  // --- errors: beside the field and in the summary at the top ---------------------
  var summary = $("[data-error-summary]");
  function fieldControl(field) {
    if (field === "pledge") return ownRadio.checked ? own : $("#pledge-choice-1");
    if (field === "format") return $("#format-1");
    return field ? document.getElementById(field) : null;
  }
  function clearErrors() {
    $$(".js-error").forEach(function (el) { el.remove(); });
    $$("[data-js-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-js-invalid");
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && !/-jserror$/.test(id);
      });
      el.setAttribute("aria-describedby", ids.join(" "));
    });
  }
  function showFieldError(field, message) {
    var control = fieldControl(field);
    if (!control) return;
    var p = document.createElement("p");
    p.className = "error-message js-error";
    p.id = field + "-jserror";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = d.errorPrefix + " ";
    p.appendChild(hidden);
    p.appendChild(document.createTextNode(message));
    var field_ = control.closest(".field");
    var anchor = field_.querySelector(".hint:not(.count)") || field_.querySelector("legend, label");
    anchor.insertAdjacentElement("afterend", p);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("data-js-invalid", "");
    var ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids.push(p.id);
    control.setAttribute("aria-describedby", ids.join(" "));
  }
  function showSummary(field, message) {
    var list = $("ul", summary);
    list.textContent = "";
    var li = document.createElement("li");
    var control = fieldControl(field);
    if (control && control.id) {
      var a = document.createElement("a");
      a.href = "#" + control.id;
      a.textContent = message;
      li.appendChild(a);
    } else {
      li.textContent = message;
    }
    list.appendChild(li);
    summary.hidden = false;
    summary.focus();
  }
  summary.addEventListener("click", function (e) {
    var a = e.target.closest("a");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (target) { e.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
  });
  if (!summary.hidden) summary.focus();  // errors from a plain form post

  // --- the photo: the file as chosen, and a small copy for previews ----------------
  var photoInput = $("#photo"), previewPhoto = null, photoToken = 0;
  var picker = $("[data-file-picker]"), fileName = $("[data-file-name]");
  picker.classList.add("enhanced");
  $$("[aria-hidden]", picker).forEach(function (el) { el.hidden = false; });
  function showFileName() {
    var file = photoInput.files && photoInput.files[0];
    fileName.textContent = file ? file.name : fileName.dataset.none;
  }
  fileName.dataset.none = fileName.textContent;
  showFileName();
  function smallPhoto(file) {
    // Decoded by the browser and sent small: previews stay fast on a phone's
    // connection. Browsers that cannot decode it (HEIC outside Safari) send the file.
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.9);
      });
    }).catch(function () { return file; });
  }
  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0], token = ++photoToken;
    previewPhoto = null;
    showFileName();
    img.dataset.pending = "1";
    resetPosition(false);
    if (!file) { schedulePreview(0); return; }
    if (file.size > parseInt(d.photoMax, 10)) { schedulePreview(0); return; }  // the server says why
    smallPhoto(file).then(function (small) {
      if (token === photoToken) { previewPhoto = small; schedulePreview(0); }
    });
  });
  function hasPhoto() { return !!(photoInput.files && photoInput.files[0]); }

  // --- moving and zooming the photo: ranges (work without JS), buttons, drag --------
  var cropX = $("#crop_x"), cropY = $("#crop_y"), zoom = $("#zoom");
  var zoomMax = parseFloat(zoom.max);
  $("[data-nudge]").hidden = false;
  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }
  function setCrop(x, y, z) {
    cropX.value = clamp(x, 0, 1).toFixed(3);
    cropY.value = clamp(y, 0, 1).toFixed(3);
    zoom.value = clamp(z, 1, zoomMax).toFixed(2);
    schedulePreview(150);
  }
  function resetPosition(update) {
    cropX.value = 0.5; cropY.value = 0.5; zoom.value = 1;
    if (update) schedulePreview(0);
  }
  $$("[data-move]").forEach(function (b) {
    b.addEventListener("click", function () {
      var m = b.dataset.move.split(",").map(Number), step = 0.05 / parseFloat(zoom.value);
      setCrop(parseFloat(cropX.value) + m[0] * step, parseFloat(cropY.value) + m[1] * step,
              parseFloat(zoom.value));
    });
  });
  $$("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      setCrop(parseFloat(cropX.value), parseFloat(cropY.value),
              parseFloat(zoom.value) + parseFloat(b.dataset.zoom) * 0.25);
    });
  });
  $("[data-reset]").addEventListener("click", function () { resetPosition(true); });

  var frame = $("[data-preview-frame]"), drag = null;
  frame.addEventListener("pointerdown", function (e) {
    if (!hasPhoto()) return;
    drag = { x: e.clientX, y: e.clientY, cx: parseFloat(cropX.value), cy: parseFloat(cropY.value) };
    frame.setPointerCapture(e.pointerId);
    frame.classList.add("dragging");
  });
  frame.addEventListener("pointermove", function (e) {
    if (!drag) return;
    // The photo's circle is about a quarter of the card's width: dragging by that
    // much moves the photo by its own visible width.
    var span = frame.clientWidth * 0.25 * parseFloat(zoom.value);
    setCrop(drag.cx - (e.clientX - drag.x) / span, drag.cy - (e.clientY - drag.y) / span,
            parseFloat(zoom.value));
  });
  ["pointerup", "pointercancel"].forEach(function (type) {
    frame.addEventListener(type, function () { drag = null; frame.classList.remove("dragging"); });
  });

  // --- live preview ----------------------------------------------------------------
  var previewSection = $("[data-preview-section]"), img = $("[data-preview]");
  var busy = $("[data-preview-busy]"), timer = null, inflight = null, shownUrl = null;
  previewSection.hidden = false;
  function body(forPreview) {
    var data = new FormData(form);
    data.delete("photo");
    var file = hasPhoto() ? photoInput.files[0] : null;
    if (forPreview && file) file = previewPhoto;  // null while the copy is being made
    if (file) data.append("photo", file, file.name || "photo.jpg");
    return data;
  }
  // data-pending is on while a preview is due or on its way (tests wait for it to clear).
  function schedulePreview(wait) {
    clearTimeout(timer);
    img.dataset.pending = "1";
    timer = setTimeout(function () { timer = null; preview(); }, wait === undefined ? 300 : wait);
  }
  function preview() {
    if (!$("#name").value.trim()) {  // nothing to show until there is a name
      if (!inflight) delete img.dataset.pending;
      return;
    }
    if (inflight) inflight.abort();
    var controller = window.AbortController ? new AbortController() : null;
    inflight = controller;
    img.classList.add("stale");
    busy.hidden = false;
    fetch("/preview", { method: "POST", body: body(true), signal: controller && controller.signal })
      .then(function (r) {
        if (r.ok) return r.blob().then(function (blob) {
          clearErrors();
          var url = URL.createObjectURL(blob);
          img.src = url;
          if (shownUrl) URL.revokeObjectURL(shownUrl);
          shownUrl = url;
        });
        return r.json().then(function (j) {
          clearErrors();
          if (j.error) showFieldError(j.error.field, j.error.message);
        });
      })
      .catch(function () { /* aborted by a newer preview, or offline: keep the last one */ })
      .then(function () {
        if (inflight === controller) {
          inflight = null;
          img.classList.remove("stale");
          busy.hidden = true;
          if (!timer) delete img.dataset.pending;
        }
      });
  }
  form.addEventListener("input", function (e) { if (e.target !== photoInput) schedulePreview(); });
  form.addEventListener("change", function (e) {
    if (e.target.type === "radio" || e.target.tagName === "SELECT") schedulePreview(0);
  });

  // --- making the card: download, share, copy --------------------------------------
  var shareSection = $("[data-share-section]"), download = $("[data-download-link]");
  var shareButton = $("[data-share]"), status = $("[data-status]"), submit = $("[data-submit]");
  var cardFile = null, cardUrl = null;
  function toBlob(b64, type) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: type });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearErrors();
    summary.hidden = true;
    submit.disabled = true;
    status.textContent = d.making;
    fetch("/card.json", { method: "POST", body: body(false) })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) {
            status.textContent = "";
            var err = j.error || { field: null, message: d.busy };
            showFieldError(err.field, err.message);
            showSummary(err.field, r.status === 503 ? d.busy : err.message);
            return;
          }
          var blob = toBlob(j.image, j.media_type);
          cardFile = window.File ? new File([blob], j.filename, { type: j.media_type }) : blob;
          if (cardUrl) URL.revokeObjectURL(cardUrl);
          cardUrl = URL.createObjectURL(blob);
          download.href = cardUrl;
          download.setAttribute("download", j.filename);
          download.textContent = fill(d.download, { filename: j.filename });
          $("[data-caption]").value = j.caption;
          $("[data-alt]").value = j.alt_text;
          if (j.media_type.indexOf("image/") === 0) img.alt = j.alt_text;
          shareButton.hidden = !(navigator.canShare && navigator.canShare({ files: [cardFile] }));
          shareSection.hidden = false;
          status.textContent = fill(d.made, { filename: j.filename });
          download.focus();
        });
      })
      .catch(function () { status.textContent = d.busy; })
      .then(function () { submit.disabled = false; });
  });
  shareButton.addEventListener("click", function () {
    if (!cardFile) return;
    navigator.share({ files: [cardFile], text: $("[data-caption]").value })
      .then(function () { $("[data-copy-status]").textContent = d.shared; })
      .catch(function () { /* the supporter closed the share sheet */ });
  });
  $$("[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var box = b.dataset.copy === "caption" ? $("[data-caption]") : $("[data-alt]");
      var done = function () { $("[data-copy-status]").textContent = d.copied; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(box.value).then(done, function () {
          box.select(); document.execCommand("copy"); done();
        });
      } else { box.select(); document.execCommand("copy"); done(); }
    });
  });
  schedulePreview(0);
})();
