// Lotse web chat: one request per action, replies built as DOM nodes (never as HTML),
// staff replies fetched by long polling while a person is in the conversation.
"use strict";
(function () {
  var root = document.getElementById("chat");
  var api = root.dataset.api;
  var ui = JSON.parse(root.dataset.ui);
  var log = document.getElementById("log");
  var status = document.getElementById("status");
  var form = document.getElementById("compose");
  var input = document.getElementById("text");
  var locate = document.getElementById("locate");
  var token = null;     // the signed id, for iframes on other sites (no cookie there)
  var last = 0;         // the last staff message fetched
  var polling = false;
  var handoff = root.dataset.handoff === "1";

  function applyUi(next) {
    ui = next;
    document.documentElement.lang = ui.lang;
    document.documentElement.dir = ui.dir;
    document.title = ui.title;
    document.getElementById("title").textContent = ui.title;
    document.getElementById("text-label").textContent = ui.input_label;
    input.placeholder = ui.input_label;
    document.getElementById("send").textContent = ui.send;
    locate.textContent = ui.share_location;
  }

  function item(mine) {
    // The item follows the page's direction (its side of the chat); its texts carry
    // dir="auto" each, so a Latin word in Arabic text or an Arabic reply on a German page
    // still reads in its own direction.
    var li = document.createElement("li");
    li.lang = ui.lang;
    if (mine) { li.className = "me"; }
    log.appendChild(li);
    return li;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; node.dir = "auto"; }
    if (cls) { node.className = cls; }
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    if (href.indexOf("http") === 0) { a.rel = "noopener noreferrer"; a.target = "_blank"; }
    return a;
  }

  function card(m) {
    var box = el("article", "", "card");
    box.appendChild(el("h2", m.name));
    if (m.address) { box.appendChild(el("p", m.address)); }
    m.lines.forEach(function (line) { box.appendChild(el("p", line)); });
    var p;
    if (m.phone) { p = el("p", "☎ "); p.appendChild(link(m.tel, m.phone)); box.appendChild(p); }
    if (m.email) { p = el("p", "✉ "); p.appendChild(link("mailto:" + m.email, m.email)); box.appendChild(p); }
    if (m.website && /^https?:\/\//.test(m.website)) { p = el("p"); p.appendChild(link(m.website, m.website)); box.appendChild(p); }
    if (m.map && /^https?:\/\//.test(m.map)) { p = el("p", "🗺 "); p.appendChild(link(m.map, m.map_label)); box.appendChild(p); }
    return box;
  }

  function disableOld() {
    var old = log.querySelectorAll(".options button");
    for (var i = 0; i < old.length; i++) { old[i].disabled = true; }
  }

  function show(m) {
    var li = item(false);
    if (m.kind === "place") { li.appendChild(card(m)); return; }
    li.appendChild(el("p", m.text, "bubble"));
    if (m.kind === "ask") {
      disableOld();
      var row = el("div", "", "options");
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", m.text);
      m.options.forEach(function (o) {
        var b = el("button", o.label);
        b.type = "button";
        b.addEventListener("click", function () {
          mine(o.label);
          send({ type: "button", step: m.step, option: o.id });
        });
        row.appendChild(b);
      });
      li.appendChild(row);
    }
    if (m.kind === "location") {
      locate.textContent = m.button;
      locate.hidden = !navigator.geolocation;
    }
  }

  function mine(text) {
    item(true).appendChild(el("p", text, "bubble"));
    log.lastChild.scrollIntoView({ block: "end" });
  }

  function headers() {
    var h = { "Content-Type": "application/json" };
    if (token) { h["X-Lotse-Session"] = token; }
    return h;
  }

  function answered(res) {
    var t = res.headers.get("X-Lotse-Session");
    if (t) { token = t; }
    return res.json();
  }

  function took(body) {
    if (body.ui) { applyUi(body.ui); }
    if (body.erased) { token = null; last = 0; }
    (body.messages || []).forEach(show);
    if (log.lastChild) { log.lastChild.scrollIntoView({ block: "end" }); }
    if (typeof body.handoff === "boolean") { handoff = body.handoff; }
    if (handoff) { poll(); }
  }

  function trouble() {
    status.textContent = ui.connection_error;
    status.className = "error";
  }

  function send(event) {
    event.lang = ui.lang;
    status.textContent = ui.typing;
    status.className = "";
    fetch(api + "/event", { method: "POST", headers: headers(), body: JSON.stringify(event),
                            credentials: "same-origin" })
      .then(answered)
      .then(function (body) { status.textContent = ""; took(body); })
      .catch(trouble);
  }

  function poll() {
    if (polling) { return; }
    polling = true;
    fetch(api + "/messages?wait=1&after=" + last, { headers: headers(), credentials: "same-origin" })
      .then(answered)
      .then(function (body) {
        polling = false;
        last = body.last;
        took(body);
      })
      .catch(function () { polling = false; trouble(); setTimeout(poll, 5000); });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    mine(text);
    if (text.charAt(0) === "/") {
      var parts = text.slice(1).split(" ");
      send({ type: "command", name: parts[0], argument: parts.slice(1).join(" ") });
    } else {
      send({ type: "text", text: text });
    }
  });

  locate.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      locate.hidden = true;
      mine("📍");
      send({ type: "location", lat: p.coords.latitude, lon: p.coords.longitude });
    }, trouble, { timeout: 15000 });
  });

  applyUi(ui);
  if (handoff && !root.dataset.start) { poll(); } else { send({ type: "start", payload: root.dataset.start }); }
}());
