// The supporters' page, enhanced. The form works without this file (a plain POST gives
// back the page with the card); this adds, on the phone itself:
//
// - the photo shrunk once (orientation applied, metadata dropped) to a copy no bigger
//   than any card needs; that copy is the only thing sent, once, to POST /photo,
//   which says where it sits in every card and, when the words are ready, makes the
//   card at once;
// - a live preview drawn here: the server sends the card's frame for the current
//   words (POST /frame: the card without its photo), and the photo is drawn beneath
//   it with the card's own crop rule (render/cover.py), so moving, pinching and
//   zooming the photo costs no request;
// - download, share, copy, and a card that is never stale.
//
// No third-party code and no request anywhere but this server.
(function () {
  "use strict";
  var form = document.querySelector(".card-form");
  var canvas = document.querySelector("[data-preview]");
  if (!form || !canvas || !canvas.getContext || !window.fetch || !window.FormData ||
      !window.XMLHttpRequest || !window.JSON || !window.Promise) return;
  var P = JSON.parse(form.dataset.page);
  var W = P.words, M = P.messages;
  // The page's language in every address it asks, so even a request whose form cannot be
  // read is answered in it.
  var LANG = encodeURIComponent(document.documentElement.lang || "");
  var ctx = canvas.getContext("2d");
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return k in values ? values[k] : ""; });
  };
  var clamp = function (v, lo, hi) { return Math.min(hi, Math.max(lo, v)); };
  // "try again in 5 seconds", said by the server in the page's language, per number.
  var waitText = function (said, seconds) {
    return said[clamp(Math.round(seconds) || 1, 1, said.length) - 1];
  };
  document.documentElement.classList.add("js");

  // === the card's geometry: render/cover.py and render/framing.py, exactly ===========
  // The window of a pw x ph photo that covers a w x h frame: [left, top, width, height].
  function coverBox(pw, ph, w, h, c) {
    var scale = Math.max(w / pw, h / ph) * Math.max(1, c.zoom);
    var ww = Math.min(pw, w / scale), wh = Math.min(ph, h / scale);
    var left = Math.min(Math.max(c.x * pw - ww / 2, 0), pw - ww);
    var top = Math.min(Math.max(c.y * ph - wh / 2, 0), ph - wh);
    return [left, top, ww, wh];
  }
  function defaultCrop(pw, ph, w, h) {  // render.framing.default_crop
    var scale = Math.max(w / pw, h / ph), rh = Math.min(ph, h / scale);
    var bias = ph * w > pw * h ? P.face_bias : 0.5;
    return { x: 0.5, y: clamp(((ph - rh) * bias + rh / 2) / ph, 0, 1), zoom: 1 };
  }
  // output/placing.py copy_scale: the copy covers every card's photo box at zoom 1.
  function copyScale(w, h) {
    var need = 0;
    P.windows.forEach(function (win) { need = Math.max(need, win[0] / w, win[1] / h); });
    return Math.min(1, need || 1);
  }

  // === the pledge's character count (GOV.UK character-count pattern) ================
  // It counts what the server counts: the words after the server's own tidying (a
  // typed "I pledge to" is not counted twice). Each preview brings the server's count
  // of what was sent; what has been typed since is added to it.
  var own = $("#pledge_own"), ownRadio = $("#pledge-choice-own"), ownBox = $("[data-own]");
  var count = $("#pledge_own-count"), countLive = $("#pledge_own-count-live");
  var countTimer = null, counted = null;
  function typedLength() {
    var text = own.value.normalize ? own.value.normalize("NFC") : own.value;
    return Array.from(text.replace(/\s+/g, " ").trim()).length;
  }
  function pledgeLength() {
    var n = typedLength();
    return counted && n ? Math.max(0, counted.server + n - counted.typed) : n;
  }
  // What a number written in figures does to the noun after it, as in Irish
  // (imhcard/core/irish.py number_mutation; the last two figures decide): 1, 11 and
  // ...1 lenite (aon: not d, t, s); 2-6, 12-16, ...2-6 lenite; 7-10, 17-19, ...7-9
  // eclipse; 0, the tens and whole hundreds leave it as it is. The forms of the noun
  // come from the server (web/strings.py count_forms), which says counts the same way.
  var counts = P.counts;
  function mutation(n) {
    var r = n % 100, unit = r % 10;
    if (n === 0 || r === 0 || (r >= 20 && unit === 0)) return "none";
    if (r === 10) return "eclipsis";
    if (unit === 1) return "lenition_aon";
    return unit <= 6 ? "lenition" : "eclipsis";
  }
  function countText(left) {
    var n = Math.abs(left);
    if (n === 0) return counts.none_left;
    if (n === 1) return left > 0 ? counts.one_left : counts.one_over;
    return fill(left > 0 ? counts.left : counts.over, { count: n + " " + counts.noun[mutation(n)] });
  }
  function updateCount() {
    var n = P.pledge_max - pledgeLength(), text = countText(n);
    count.textContent = text;
    count.classList.toggle("over", n < 0);
    clearTimeout(countTimer);  // announced once typing pauses, not on every key
    countTimer = setTimeout(function () { countLive.textContent = text; }, 1000);
  }
  function showOwn() { ownBox.hidden = !ownRadio.checked; }
  own.addEventListener("input", function () {
    if (own.value.trim()) { ownRadio.checked = true; showOwn(); }
    updateCount();
  });
  $$("input[name=pledge_choice]").forEach(function (r) { r.addEventListener("change", showOwn); });
  showOwn();
  updateCount();
  countLive.textContent = "";

  // === errors: beside the field and in the summary at the top ========================
  var summary = $("[data-error-summary]"), errors = {};
  function fieldControl(field) {
    if (field === "pledge") return ownRadio.checked ? own : $("#pledge-choice-1");
    if (field === "lang" || field === "form") return null;
    return field ? document.getElementById(field) : null;
  }
  function clearError(field) {
    var e = errors[field];
    if (!e) return;
    delete errors[field];
    if (e.el) e.el.remove();
    if (e.control) {
      e.control.removeAttribute("aria-invalid");
      var ids = (e.control.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== e.id;
      });
      e.control.setAttribute("aria-describedby", ids.join(" "));
      var box = e.control.closest(".field");
      if (box) box.classList.remove("field-error");
    }
    updateSummary(false);
  }
  function showError(field, message, toSummary) {
    clearError(field);
    var control = fieldControl(field), id = (field || "form") + "-error", el = null;
    if (control) {
      el = document.createElement("p");
      el.className = "error-message";
      el.id = id;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = W.error_prefix + " ";
      el.appendChild(hidden);
      el.appendChild(document.createTextNode(message));
      var box = control.closest(".field") || control.parentNode;
      var anchor = box.querySelector(".hint:not(.count)") || box.querySelector("legend, label");
      anchor.insertAdjacentElement("afterend", el);
      box.classList.add("field-error");
      control.setAttribute("aria-invalid", "true");
      var ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(id) < 0) ids.push(id);
      control.setAttribute("aria-describedby", ids.join(" "));
    }
    errors[field || "form"] = { el: el, control: control, id: id, message: message,
                                summary: !!toSummary };
    updateSummary(!!toSummary);
  }
  // The summary lists the errors a press of "Make my card" found, while they last.
  function updateSummary(focus) {
    var list = $("ul", summary), items = Object.keys(errors).filter(function (f) {
      return errors[f].summary;
    });
    list.textContent = "";
    items.forEach(function (f) {
      var li = document.createElement("li"), control = errors[f].control;
      if (control && control.id) {
        var a = document.createElement("a");
        a.href = "#" + control.id;
        a.textContent = errors[f].message;
        li.appendChild(a);
      } else {
        li.textContent = errors[f].message;
      }
      list.appendChild(li);
    });
    summary.hidden = items.length === 0;
    if (focus && items.length) summary.focus();
  }
  // A preview made for the words clears their errors; not the name's while there is no
  // name (the preview stands a placeholder in for it), nor the photo's.
  function clearWordErrors() {
    var noName = !$("#name").value.trim();
    Object.keys(errors).forEach(function (f) {
      if (f !== "photo" && !(f === "name" && noName)) clearError(f);
    });
  }
  // Errors the server put in the page (a plain form post) are taken over, so they too
  // go when they are fixed.
  $$(".error-message[id$='-error']").forEach(function (el) {
    var field = el.id.replace(/-error$/, ""), control = fieldControl(field);
    errors[field] = { el: el, control: control, id: el.id, summary: true,
                      message: el.textContent.replace(W.error_prefix, "").trim() };
  });
  summary.addEventListener("click", function (e) {
    var a = e.target.closest("a");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (target) { e.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
  });
  if (!summary.hidden) summary.focus();  // errors from a plain form post

  // === what is asked for: the words, and the state of the whole card ================
  var formatSelect = $("#format"), typeSelect = $("#image_format");
  var cropInputs = { x: $("#crop_x"), y: $("#crop_y"), zoom: $("#zoom") };
  Object.keys(cropInputs).forEach(function (k) { cropInputs[k].step = "any"; });
  var WORDS = ["name", "pledge_choice", "pledge_own", "org", "handle", "lang", "style", "format"];
  function wordsData(forFrame) {
    var all = new FormData(form), data = new FormData();
    WORDS.forEach(function (k) { if (all.has(k)) data.append(k, all.get(k)); });
    // The preview stands in for what is not typed yet, rather than calling it an error.
    if (forFrame && !String(data.get("name") || "").trim()) data.set("name", W.preview_name);
    if (forFrame && data.get("pledge_choice") === "own" && !String(data.get("pledge_own") || "").trim()) {
      data.set("pledge_own", "\u2026");
    }
    return data;
  }
  function wordsKey(forFrame) {
    var data = wordsData(forFrame), parts = [];
    WORDS.forEach(function (k) { parts.push(k + "=" + (data.get(k) || "")); });
    return parts.join("\u0001");
  }
  // Everything the card depends on; a card made for another state is never shown.
  function stateKey() {
    var c = crop.set ? [crop.x.toFixed(5), crop.y.toFixed(5), crop.zoom.toFixed(4)].join() : "auto";
    return [wordsKey(false), typeSelect.value, photo ? photo.token : "-", c].join("\u0002");
  }
  function cardData() {
    var data = wordsData(false);
    data.append("image_format", typeSelect.value);
    data.append("crop", crop.set ? "set" : "auto");
    if (crop.set) {
      data.append("crop_x", crop.x.toFixed(6));
      data.append("crop_y", crop.y.toFixed(6));
      data.append("zoom", crop.zoom.toFixed(4));
    }
    if (photo) data.append("photo", photo.blob, photo.filename);
    return data;
  }

  // === the preview: the frame from the server, the photo drawn under it ============
  var section = $("[data-preview-section]"), frameBox = $("[data-preview-frame]");
  var previewStatus = $("[data-preview-status]"), moveControls = $("[data-move-controls]");
  var styleNote = $("[data-style-note]");
  var handle = document.createElement("div");
  handle.className = "photo-handle";
  handle.hidden = true;
  frameBox.appendChild(handle);
  section.hidden = false;
  $("[data-plain-position]").hidden = true;
  var frame = null, frameKey = "", frameWanted = "", frameTimer = null, frameAbort = null;
  var frames = [];  // the last few frames, so going back to a size or style costs nothing
  var photo = null, crop = { x: 0.5, y: 0.5, zoom: 1, set: false }, drawPending = 0;
  var layerType = "webp";
  (function () {  // a browser that cannot show WebP (an old iPhone) gets the frame as PNG
    var probe = new Image();
    probe.onerror = function () { layerType = "png"; frameKey = ""; scheduleFrame(0); };
    probe.src = "data:image/webp;base64,UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";
  })();
  function loadImage(src) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = reject;
      img.src = src;
    });
  }
  function pending(on) {
    if (on) canvas.dataset.pending = "1"; else delete canvas.dataset.pending;
  }
  function scheduleFrame(wait) {
    clearTimeout(frameTimer);
    pending(true);
    frameTimer = setTimeout(requestFrame, wait === undefined ? 250 : wait);
  }
  function requestFrame() {
    frameTimer = null;
    var withPhoto = !!photo, key = wordsKey(true) + "|" + withPhoto + "|" + layerType;
    if (key === frameKey || key === frameWanted) { settle(); return; }
    if (frameAbort) frameAbort.abort();
    var known = frames.filter(function (f) { return f.key === key; })[0];
    if (known) { frameWanted = ""; showFrame(known.frame, key); settle(); return; }
    var controller = window.AbortController ? new AbortController() : null;
    frameAbort = controller;
    frameWanted = key;
    var typed = typedLength();
    fetch("/frame?lang=" + LANG + "&layer=" + layerType + (withPhoto ? "&photo=1" : ""), {
      method: "POST", body: wordsData(true), signal: controller && controller.signal })
      .then(function (r) {
        return r.json().then(function (j) {
          if (j.pledge_chars !== null && j.pledge_chars !== undefined) {
            // Nothing typed: the preview sent its "…" stand-in, which counts for nothing.
            counted = typed ? { typed: typed, server: j.pledge_chars } : null;
            updateCount();
          }
          if (r.status === 503) {
            var wait = parseInt(r.headers.get("Retry-After") || "2", 10);
            previewStatus.textContent = waitText(M.preview_busy, wait);
            frameWanted = "";
            setTimeout(function () { scheduleFrame(0); }, wait * 1000);
            return;
          }
          if (frameWanted !== key) return;  // the words changed since: a newer one is due
          if (!r.ok) {
            frameWanted = "";
            frameKey = key;  // the words are wrong: no new frame until they change
            frameBox.classList.add("stale");
            if (j.error) showError(j.error.field, j.error.message, false);
            previewStatus.textContent = "";
            settle();
            return;
          }
          return Promise.all([loadImage(j.layer), j.marks ? loadImage(j.marks.mask) : null])
            .then(function (images) {
              if (frameWanted !== key) return;
              j.layerImage = images[0];
              j.maskImage = images[1];
              j.tints = {};
              j.typed = typed;
              frames = [{ key: key, frame: j }].concat(frames.slice(0, 5));
              frameWanted = "";
              showFrame(j, key);
              settle();
            });
        });
      })
      .catch(function (e) {
        if (e && e.name === "AbortError") return;
        frameWanted = "";
        previewStatus.textContent = W.preview_error;
        settle();
      });
  }
  function showFrame(j, key) {
    if (j.pledge_chars !== null && j.pledge_chars !== undefined) {
      counted = j.typed ? { typed: j.typed, server: j.pledge_chars } : null;
      updateCount();
    }
    frame = j;
    frameKey = key;
    frameBox.classList.remove("stale");
    previewStatus.textContent = "";
    // A photo card asked for without a photo is made as a words card: said here.
    var style = $("input[name=style]:checked");
    styleNote.hidden = !(style && style.value === "photo" && j.style !== "photo" && !photo);
    clearWordErrors();
    draw();
  }
  function settle() {
    if (!frameTimer && !frameWanted && !drawPending) pending(false);
  }
  // The crop the preview shows: the supporter's, else the card's own automatic one
  // (POST /photo), else, for the moment before that arrives, the rule for no faces.
  function framing() {
    var f = photo && photo.framings && frame && photo.framings[frame.format];
    return f ? f[frame.style] : null;
  }
  function shownCrop() {
    if (crop.set) return crop;
    var f = framing();
    if (f) return { x: f.x, y: f.y, zoom: f.zoom };
    return defaultCrop(photo.width, photo.height, frame.window[2], frame.window[3]);
  }
  function redraw() {
    pending(true);
    if (!drawPending) drawPending = requestAnimationFrame(function () { drawPending = 0; draw(); settle(); });
  }
  function draw() {
    if (!frame) return;
    var layer = frame.layerImage, k = frame.factor;
    if (canvas.width !== layer.width || canvas.height !== layer.height) {
      canvas.width = layer.width;
      canvas.height = layer.height;
    }
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    var win = frame.window, showPhoto = !!(win && photo), placed = framing();
    // A photo enlarged past what looks sharp in this card's frame: said, not refused.
    if (placed) photoStatusText(placed.small ? W.photo_small : "");
    else if (!photo && photoStatus.textContent === W.photo_small) photoStatusText("");
    if (win && !photo) {
      ctx.fillStyle = frame.under;
      ctx.fillRect(win[0] / k, win[1] / k, win[2] / k, win[3] / k);
    }
    if (showPhoto) {
      var c = shownCrop(), b = coverBox(photo.width, photo.height, win[2], win[3], c);
      ctx.fillStyle = frame.under;
      ctx.fillRect(win[0] / k, win[1] / k, win[2] / k, win[3] / k);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(photo.bitmap, b[0], b[1], b[2], b[3], win[0] / k, win[1] / k, win[2] / k, win[3] / k);
      if (frame.marks) drawMarks(frame.marks);
    }
    ctx.drawImage(layer, 0, 0);
    canvas.setAttribute("aria-label", W.preview_alt);
    canvas.dataset.frame = frame.format + "/" + frame.style;
    canvas.dataset.photo = showPhoto ? (framing() ? "placed" : "rule") : "";
    canvas.dataset.crop = showPhoto ? [c.x, c.y, c.zoom].map(function (v) { return v.toFixed(5); }).join(",") : "";
    placeHandle(showPhoto);
    moveControls.hidden = !showPhoto;
  }
  // The logo, wordmark and week on the photo, as render/compose.py draws them: in the
  // colour that reads on these pixels, over a chip when neither does
  // (render/backdrop.py), at the other end, side or corner of the photo when they moved off a face.
  function drawMarks(m) {
    var k = frame.factor, f = framing();
    var shift = (f && f.move_marks && m.moved[f.move_marks]) || [0, 0], dx = shift[0], dy = shift[1];
    var cx = (m.chip[0] + dx) / k, cy = (m.chip[1] + dy) / k, cw = m.chip[2] / k, ch = m.chip[3] / k;
    var x0 = Math.floor(cx), y0 = Math.floor(cy);
    var w = Math.max(1, Math.ceil(cx + cw) - x0), h = Math.max(1, Math.ceil(cy + ch) - y0);
    var px = ctx.getImageData(x0, y0, w, h).data, levels = new Array(256).fill(0);
    for (var i = 0; i < px.length; i += 4) {
      levels[Math.round(0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2])]++;
    }
    var shares = m.failing.map(function (table) {
      var bad = 0;
      for (var v = 0; v < 256; v++) if (table.charAt(v) === "1") bad += levels[v];
      return bad / (px.length / 4);
    });
    var best = shares[1] < shares[0] ? 1 : 0, chip = shares[best] > m.max_failing;
    var colour = chip ? m.colours[0] : m.colours[best];
    if (chip) {
      ctx.save();
      ctx.globalAlpha = m.chip_opacity;
      ctx.fillStyle = m.chip_colour;
      roundedRect(cx, cy, cw, ch, m.radius / k);
      ctx.fill();
      ctx.restore();
    }
    ctx.drawImage(tinted(colour), (m.box[0] - m.box[0] % k + dx) / k, (m.box[1] - m.box[1] % k + dy) / k);
  }
  function roundedRect(x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }
  function tinted(colour) {
    if (!frame.tints[colour]) {
      var mask = frame.maskImage, c = document.createElement("canvas");
      c.width = mask.width;
      c.height = mask.height;
      var g = c.getContext("2d");
      g.drawImage(mask, 0, 0);
      g.globalCompositeOperation = "source-in";
      g.fillStyle = colour;
      g.fillRect(0, 0, c.width, c.height);
      frame.tints[colour] = c;
    }
    return frame.tints[colour];
  }

  // === moving the photo: drag and pinch on it, buttons, and the card's hidden fields ==
  // The handle lies over the photo's box only, so the rest of the preview scrolls the
  // page as usual; on it, one finger drags the photo 1:1 and two pinch it.
  function placeHandle(show) {
    handle.hidden = !show;
    if (!show) return;
    var win = frame.window, size = frame.size;
    handle.style.left = (100 * win[0] / size[0]) + "%";
    handle.style.top = (100 * win[1] / size[1]) + "%";
    handle.style.width = (100 * win[2] / size[0]) + "%";
    handle.style.height = (100 * win[3] / size[1]) + "%";
    handle.classList.toggle("round", frame.shape === "circle");
  }
  function setCrop(c) {
    // Kept as the centre the card really shows (cover_box clamps it inside the photo),
    // so a drag back from an edge moves the photo at once.
    var win = frame.window, b = coverBox(photo.width, photo.height, win[2], win[3], c);
    crop = { x: (b[0] + b[2] / 2) / photo.width, y: (b[1] + b[3] / 2) / photo.height,
             zoom: clamp(c.zoom, 1, P.zoom_max), set: true };
    cropInputs.x.value = crop.x.toFixed(4);
    cropInputs.y.value = crop.y.toFixed(4);
    cropInputs.zoom.value = crop.zoom.toFixed(2);
    $("#crop-set").checked = true;
    redraw();
    changed();
  }
  function resetCrop() {
    crop = { x: 0.5, y: 0.5, zoom: 1, set: false };
    $("#crop-auto").checked = true;
    redraw();
    changed();
  }
  // Photo pixels per card pixel, and card pixels per CSS pixel, as shown now.
  function scales() {
    var c = shownCrop(), win = frame.window;
    var b = coverBox(photo.width, photo.height, win[2], win[3], c);
    return { crop: c, box: b, photoPerCard: b[2] / win[2],
             cardPerCss: frame.size[0] / canvas.getBoundingClientRect().width };
  }
  var pointers = {}, gesture = null;
  function gestureStart() {
    var ids = Object.keys(pointers), s = scales();
    var pts = ids.map(function (id) { return pointers[id]; });
    var mid = pts.reduce(function (a, p) { return { x: a.x + p.x / pts.length, y: a.y + p.y / pts.length }; }, { x: 0, y: 0 });
    var dist = pts.length > 1 ? Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y) : 0;
    var rect = handle.getBoundingClientRect();
    // The photo's point under the fingers stays under them.
    gesture = { crop: s.crop, box: s.box, mid: mid, dist: dist, s: s,
                centre: { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } };
  }
  function gestureMove() {
    var g = gesture, pts = Object.keys(pointers).map(function (id) { return pointers[id]; });
    if (!g || !pts.length) return;
    var mid = pts.reduce(function (a, p) { return { x: a.x + p.x / pts.length, y: a.y + p.y / pts.length }; }, { x: 0, y: 0 });
    var zoom = g.crop.zoom;
    if (pts.length > 1 && g.dist > 0) {
      zoom = clamp(g.crop.zoom * Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y) / g.dist, 1, P.zoom_max);
    }
    var k0 = g.s.photoPerCard * g.s.cardPerCss, k1 = k0 * g.crop.zoom / zoom;
    var cx = g.box[0] + g.box[2] / 2, cy = g.box[1] + g.box[3] / 2;
    var px = cx + (g.mid.x - g.centre.x) * k0, py = cy + (g.mid.y - g.centre.y) * k0;
    var want = { x: (px - (mid.x - g.centre.x) * k1) / photo.width,
                 y: (py - (mid.y - g.centre.y) * k1) / photo.height, zoom: zoom };
    setCrop(want);
    // At an edge the photo stops and the fingers slip: from there it follows them again.
    if (Math.abs(crop.x - want.x) > 1e-9 || Math.abs(crop.y - want.y) > 1e-9 ||
        crop.zoom !== want.zoom) gestureStart();
  }
  handle.addEventListener("pointerdown", function (e) {
    if (!photo || !frame) return;
    handle.setPointerCapture(e.pointerId);
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    handle.classList.add("dragging");
    gestureStart();
    e.preventDefault();
  });
  handle.addEventListener("pointermove", function (e) {
    if (!(e.pointerId in pointers)) return;
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    gestureMove();
  });
  ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (type) {
    handle.addEventListener(type, function (e) {
      if (!(e.pointerId in pointers)) return;
      delete pointers[e.pointerId];
      if (Object.keys(pointers).length) gestureStart(); else { gesture = null; handle.classList.remove("dragging"); }
    });
  });
  handle.addEventListener("wheel", function (e) {  // a mouse's wheel zooms, as a pinch does
    if (!photo || !frame) return;
    e.preventDefault();
    var s = scales();
    setCrop({ x: s.crop.x, y: s.crop.y, zoom: s.crop.zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1) });
  }, { passive: false });
  $$("[data-move]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!photo || !frame) return;
      var m = b.dataset.move.split(",").map(Number), s = scales();
      // A tenth of what the card shows, per press.
      setCrop({ x: s.crop.x + m[0] * 0.1 * s.box[2] / photo.width,
                y: s.crop.y + m[1] * 0.1 * s.box[3] / photo.height, zoom: s.crop.zoom });
    });
  });
  $$("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!photo || !frame) return;
      var s = scales();
      setCrop({ x: s.crop.x, y: s.crop.y,
                zoom: s.crop.zoom * (parseFloat(b.dataset.zoom) > 0 ? 1.25 : 0.8) });
    });
  });
  $("[data-reset]").addEventListener("click", resetCrop);

  // === the photo: shrunk here, sent once =============================================
  var photoInput = $("#photo"), picker = $("[data-file-picker]"), fileName = $("[data-file-name]");
  var photoStatus = $("[data-photo-status]"), photoProgress = $("[data-photo-progress]");
  var kept = $("[data-kept]"), photoToken = 0, photoXhr = null, early = null, waiting = null;
  // Settled once the photo chosen last is ready to send (or is known not to be): the card
  // waits for it, so a press straight after choosing a photo does not make it without.
  var photoReady = settled();
  function settled() { var p = Promise.resolve(); p.done = function () {}; return p; }
  function awaited() {
    var done, p = new Promise(function (resolve) { done = resolve; });
    p.done = done;
    return p;
  }
  picker.classList.add("enhanced");
  $$("[aria-hidden]", picker).forEach(function (el) { el.hidden = false; });
  fileName.dataset.none = fileName.textContent;
  function showFileName() {
    var file = photoInput.files && photoInput.files[0];
    fileName.textContent = file ? file.name : fileName.dataset.none;
  }
  showFileName();
  function toBlob(c, type, quality) {
    return new Promise(function (resolve) { c.toBlob(resolve, type, quality); });
  }
  function hasAlpha(c) {
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < d.length; i += 4) if (d[i] < 255) return true;
    return false;
  }
  // The copy's bytes: WebP where the browser makes it, else JPEG; quality lowered until
  // it weighs at most P.copy_bytes (a grainy photo needs that; most do not).
  function encodeCopy(c) {
    if (hasAlpha(c)) {  // a transparent photo keeps its transparency
      return toBlob(c, "image/webp", 0.85).then(function (b) {
        return b && b.type === "image/webp" ? b : toBlob(c, "image/png");
      });
    }
    return toBlob(c, "image/jpeg", 0.85).then(function (jpeg) {
      if (jpeg.size <= P.copy_bytes / 2) return jpeg;
      var webp = jpeg.size <= 3 * P.copy_bytes ? toBlob(c, "image/webp", 0.82) : Promise.resolve(null);
      return webp.then(function (w) {
        if (w && w.type === "image/webp" && w.size <= P.copy_bytes) return w;
        var qualities = [0.75, 0.65, 0.55, 0.45, 0.35, 0.25];
        var next = function (i, best) {
          if (i >= qualities.length || best.size <= P.copy_bytes) return best;
          return toBlob(c, "image/jpeg", qualities[i]).then(function (b) { return next(i + 1, b); });
        };
        return next(0, jpeg);
      });
    });
  }
  // A picture decoded, upright, to draw: an ImageBitmap, or an <img> where the browser
  // has no createImageBitmap (iOS before 15) or will not make one of this picture.
  function decodeImage(blob) {
    var viaImg = function () {
      return new Promise(function (resolve, reject) {
        var url = URL.createObjectURL(blob), img = new Image();
        img.onload = function () { img.close = function () { URL.revokeObjectURL(url); }; resolve(img); };
        img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
        img.src = url;
      });
    };
    if (!window.createImageBitmap) return viaImg();
    return createImageBitmap(blob, { imageOrientation: "from-image" }).catch(viaImg);
  }
  function sizeOf(pic) { return [pic.naturalWidth || pic.width, pic.naturalHeight || pic.height]; }
  function shrink(file) {
    return decodeImage(file).then(function (full) {
      var size = sizeOf(full);
      if (size[0] * size[1] > P.photo_pixels) {
        var mp = Math.round(size[0] * size[1] / 1e6);
        full.close && full.close();
        var err = new Error("pixels");
        err.message_ = fill(M.photo_too_many_pixels, { megapixels: mp });
        throw err;
      }
      var s = copyScale(size[0], size[1]);
      var c = document.createElement("canvas");
      c.width = Math.max(1, Math.round(size[0] * s));
      c.height = Math.max(1, Math.round(size[1] * s));
      var g = c.getContext("2d");
      g.imageSmoothingEnabled = true;
      g.imageSmoothingQuality = "high";
      g.drawImage(full, 0, 0, c.width, c.height);
      full.close && full.close();
      return encodeCopy(c);
    });
  }
  // The copy as the server will decode it, to draw from.
  function adopt(blob, filename, token) {
    return decodeImage(blob).then(function (bitmap) {
      if (token !== photoToken) { bitmap.close && bitmap.close(); return; }
      if (photo && photo.bitmap.close) photo.bitmap.close();
      var size = sizeOf(bitmap);
      photo = { blob: blob, filename: filename, bitmap: bitmap, width: size[0],
                height: size[1], token: token, framings: null };
      photoReady.done();
      crop = { x: 0.5, y: 0.5, zoom: 1, set: false };
      $("#crop-auto").checked = true;
      scheduleFrame(0);
      redraw();
      changed();
    });
  }
  function photoStatusText(text) {
    if (photoStatus.textContent !== (text || "")) photoStatus.textContent = text || "";
  }
  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0], token = ++photoToken;
    photoReady.done();
    photoReady = file ? awaited() : settled();
    showFileName();
    clearError("photo");
    if (photoXhr) { photoXhr.abort(); photoXhr = null; }
    early = null;
    photo = null;
    if (kept) { kept.remove(); kept = null; }
    photoProgress.hidden = true;
    if (!file) { photoStatusText(""); scheduleFrame(0); changed(); return; }
    if (file.size > P.photo_max) {  // refused here, before a byte is sent
      photoInput.value = "";
      showFileName();
      photoReady.done();
      showError("photo", M.photo_over_size, false);
      scheduleFrame(0);
      changed();
      return;
    }
    photoStatusText(W.photo_reading);
    shrink(file).then(function (blob) {
      if (token !== photoToken) return;
      var name = "photo" + (blob.type === "image/webp" ? ".webp" : blob.type === "image/png" ? ".png" : ".jpg");
      return adopt(blob, name, token).then(function () { sendPhoto(blob, name, token, false); });
    }).catch(function (err) {
      if (token !== photoToken) return;
      if (err && err.message_) {
        photoStatusText("");
        photoReady.done();
        showError("photo", err.message_, false);
        return;
      }
      // This browser cannot read it (an iPhone's HEIC outside Safari, say): the server
      // makes the copy and sends it back.
      sendPhoto(file, file.name || "photo", token, true);
    });
  });
  // Lines of NDJSON as they arrive.
  function lineReader(xhr, each) {
    var seen = 0;
    return function () {
      var text = xhr.responseText, end;
      while ((end = text.indexOf("\n", seen)) >= 0) {
        var line = text.slice(seen, end);
        seen = end + 1;
        if (line) each(JSON.parse(line));
      }
    };
  }
  function sendPhoto(blob, name, token, serverCopy) {
    var data = cardData();
    data.delete("photo");
    data.append("photo", blob, name);
    // The card is made at once when the words are ready (no error shown for them), so a
    // supporter who changes nothing more has it as soon as they ask.
    var ready = !serverCopy && !!String(data.get("name") || "").trim() &&
                !Object.keys(errors).length;
    var key = serverCopy ? null : stateKey(), xhr = new XMLHttpRequest();
    photoXhr = xhr;
    early = ready && key ? { key: key, card: null, done: false } : null;
    var mine = early;
    xhr.open("POST", "/photo?lang=" + LANG + "&card=" + (ready ? 1 : 0) + (serverCopy ? "&copy=1" : ""));
    photoProgress.hidden = false;
    photoProgress.value = 0;
    photoStatusText(fill(W.photo_sending, { percent: 0 }));
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var pc = Math.round(100 * e.loaded / e.total);
      photoProgress.value = pc;
      photoStatusText(pc < 100 ? fill(W.photo_sending, { percent: pc }) : W.photo_placing);
    };
    var read = lineReader(xhr, function (msg) {
      if (token !== photoToken) return;
      if (msg.framings) {
        photoProgress.hidden = true;
        photoStatusText("");
        var placed = function () { photo.framings = msg.framings; redraw(); };
        if (msg.copy) {  // the server's copy is the photo from now on
          var bytes = atob(msg.copy), arr = new Uint8Array(bytes.length);
          for (var i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
          adopt(new Blob([arr], { type: "image/jpeg" }), "photo.jpg", token).then(placed);
        } else if (photo) {
          placed();
        }
      } else if (mine) {
        mine.card = msg.card || null;
        mine.done = true;
        if (waiting && waiting.early === mine) waiting.resolve();
      }
    });
    xhr.onprogress = read;
    xhr.onload = function () {
      if (photoXhr === xhr) photoXhr = null;
      if (token !== photoToken) return;
      if (xhr.status === 200) {
        read();
      } else {
        photoProgress.hidden = true;
        photoStatusText("");
        var j = {};
        try { j = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's page */ }
        var err = j.error || { field: "photo", message: M.offline };
        if (xhr.status === 503) {  // busy: said, and tried again when it says
          var wait = parseInt(xhr.getResponseHeader("Retry-After") || "2", 10);
          photoStatusText(err.message);
          setTimeout(function () {
            if (token === photoToken) sendPhoto(blob, name, token, serverCopy);
          }, wait * 1000);
        } else {
          photo = null;
          photoInput.value = "";
          showFileName();
          photoReady.done();
          showError("photo", err.message, false);
          scheduleFrame(0);
        }
      }
      if (mine && !mine.done) { mine.done = true; if (waiting && waiting.early === mine) waiting.resolve(); }
    };
    xhr.onerror = function () {
      if (photoXhr === xhr) photoXhr = null;
      if (mine) { mine.done = true; if (waiting && waiting.early === mine) waiting.resolve(); }
      if (token !== photoToken) return;
      if (serverCopy) photoReady.done();  // no photo to send: the card says so
      photoProgress.hidden = true;
      photoStatusText(M.offline);
    };
    xhr.send(data);
  }

  // === a change anywhere: a new preview, and no card that is not what is asked ======
  var shareSection = $("[data-share-section]"), plainResult = $("[data-plain-result]");
  var status = $("[data-status]"), progress = $("[data-progress]"), submit = $("[data-submit]");
  var madeKey = null;
  function changed() {
    if (plainResult) { plainResult.remove(); plainResult = null; }
    if (madeKey !== null && stateKey() !== madeKey) {
      shareSection.hidden = true;
      madeKey = null;
      status.textContent = W.stale;
    }
  }
  form.addEventListener("input", function (e) {
    if (e.target === photoInput || e.target.type === "range") return;
    scheduleFrame();
    changed();
  });
  form.addEventListener("change", function (e) {
    if (e.target === photoInput || e.target.type === "range") return;
    if (e.target.type === "radio" || e.target.tagName === "SELECT") scheduleFrame(0);
    changed();
  });

  // === making the card: the one made with the photo if nothing changed, else anew ===
  var cardUrl = null, cardFile = null, result = $("[data-result-card]");
  var inApp = form.dataset.inApp || "";
  function b64Blob(b64, type) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: type });
  }
  function showCard(j, key) {
    var blob = b64Blob(j.image, j.media_type), download = $("[data-download-link]");
    cardFile = window.File ? new File([blob], j.filename, { type: j.media_type }) : blob;
    if (cardUrl) URL.revokeObjectURL(cardUrl);
    cardUrl = URL.createObjectURL(blob);
    download.href = cardUrl;
    download.setAttribute("download", j.filename);
    // The file name may break anywhere on a narrow screen; the words around it may not.
    var parts = W.download.split("{filename}"), name = document.createElement("span");
    name.className = "filename";
    name.textContent = j.filename;
    download.textContent = "";
    download.append(parts[0], name, parts.slice(1).join(""));
    var image = j.media_type.indexOf("image/") === 0;
    // A data: URL, so "press and hold" saves it even inside an app's browser.
    result.hidden = !image;
    if (image) {
      result.src = "data:" + j.media_type + ";base64," + j.image;
      result.alt = j.alt_text;
      result.width = j.width;
      result.height = j.height;
    }
    $("[data-save-hint]").hidden = !image || !!inApp;
    $("[data-in-app-save]").hidden = !image || !inApp;
    $("[data-in-app-browser]").hidden = !inApp;
    // Inside an app's browser a download does nothing: the card to press and hold, and
    // Share, come first.
    download.classList.toggle("button-primary", !inApp);
    $("[data-caption]").value = j.caption;
    $("[data-alt]").value = j.alt_text;
    var share = $("[data-share]");
    share.hidden = !(navigator.canShare && navigator.canShare({ files: [cardFile] }));
    shareSection.hidden = false;
    madeKey = key;
    // A photo that was refused is not on the card: said with it, not left to the error above.
    status.textContent = fill(errors.photo ? W.made_without_photo : W.made, { filename: j.filename });
    (inApp ? $("#share-title") : download).focus();
  }
  function failed(err, busy) {
    status.textContent = "";
    if (busy) { status.textContent = err.message; return; }
    showError(err.field || "form", err.message, true);
  }
  function sendCard(key) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/card.json?lang=" + LANG);
    xhr.responseType = "text";
    progress.hidden = false;
    progress.removeAttribute("value");
    status.textContent = W.making;
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable || e.total < 50000) return;  // only a photo is worth a bar
      var pc = Math.round(100 * e.loaded / e.total);
      progress.value = pc;
      status.textContent = pc < 100 ? fill(W.sending, { percent: pc }) : W.making;
    };
    xhr.onprogress = function () { status.textContent = W.receiving; progress.removeAttribute("value"); };
    xhr.onload = function () {
      done();
      var j = {};
      try { j = JSON.parse(xhr.responseText); } catch (e) { /* a proxy's error page */ }
      if (xhr.status === 200 && j.image) {
        if (stateKey() === key) showCard(j, key); else status.textContent = W.stale;
        return;
      }
      failed(j.error || { field: null, message: M.offline }, xhr.status === 503);
    };
    xhr.onerror = function () { done(); failed({ field: null, message: M.offline }, true); };
    xhr.send(cardData());
  }
  function done() {
    submit.disabled = false;
    progress.hidden = true;
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    Object.keys(errors).forEach(function (f) { if (errors[f].summary) errors[f].summary = false; });
    updateSummary(false);
    submit.disabled = true;
    status.textContent = W.making;
    photoReady.then(makeCard);
  });
  function makeCard() {
    var key = stateKey();
    var use = function () {
      if (early && early.key === key && early.card && !early.card.error) {
        done();
        showCard(early.card, key);
      } else {
        sendCard(key);
      }
    };
    if (early && early.key === key && !early.done) {  // the card is on its way already
      status.textContent = W.making;
      progress.hidden = false;
      progress.removeAttribute("value");
      new Promise(function (resolve) { waiting = { early: early, resolve: resolve }; })
        .then(function () { waiting = null; use(); });
    } else {
      use();
    }
  }

  // === keeping the card: share, copy ================================================
  $("[data-share]").addEventListener("click", function () {
    if (!cardFile) return;
    var caption = $("[data-caption]").value;
    // The caption goes to the clipboard too: most apps drop a shared file's text.
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(caption).then(function () {
        $("[data-copy-status]").textContent = W.caption_ready;
      }, function () {});
    }
    navigator.share({ files: [cardFile], text: caption })
      .then(function () { $("[data-copy-status]").textContent = W.shared; })
      .catch(function () { /* the supporter closed the share sheet */ });
  });
  $$("[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var box = b.dataset.copy === "caption" ? $("[data-caption]") : $("[data-alt]");
      var copied = function () { $("[data-copy-status]").textContent = W.copied; };
      var fallback = function () { box.select(); document.execCommand("copy"); copied(); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(box.value).then(copied, fallback);
      } else { fallback(); }
    });
  });
  // A photo kept in the page by a plain form post is the photo here too.
  if (kept) {
    var keptB64 = $("input[name=photo_kept]", kept).value, keptToken = ++photoToken;
    var keptBlob = b64Blob(keptB64, keptB64.indexOf("iVBOR") === 0 ? "image/png" : "image/jpeg");
    var keptName = keptBlob.type === "image/png" ? "photo.png" : "photo.jpg";
    fileName.textContent = W.kept_alt;
    photoReady = awaited();
    kept.remove();
    kept = null;
    adopt(keptBlob, keptName, keptToken).then(function () {
      sendPhoto(keptBlob, keptName, keptToken, false);
    });
  }
  scheduleFrame(0);
})();
