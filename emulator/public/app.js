// The emulator's chat page: a Messenger-like transcript of one emulated Genesys conversation.
// Plain DOM, no build step; everything from the bot is inserted as text, never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const transcript = $("transcript");
  const composer = $("composer");
  const input = $("composer-input");
  const languageSelect = $("language");
  const botSelect = $("bot");
  const fireTimeoutButton = $("fire-timeout");
  const channelSelect = $("channel");
  const presence = $("presence");
  const callsList = $("calls");
  const STORAGE_KEY = "genesys-emulator";

  const state = {
    info: null,
    /** The bot (an entry of info.bots) the page plays: the next conversation's, and the current one's. */
    bot: null,
    conversationId: null,
    status: "running",
    endReason: null,
    queue: null,
    events: [],
    lastSeq: 0,
    source: null,
    typing: false,
    language: null,
  };

  // ---- small DOM helpers ----

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "testid") node.dataset.testid = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function icon(name) {
    const paths = {
      transfer: "M4 12h12m0 0-4-4m4 4-4 4M20 5v14",
      complete: "M5 12.5 10 17l9-10",
      failure: "M12 8v5m0 3.5v.5M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
      disconnect: "M6 6l12 12M18 6 6 18",
      participantData: "M4 6h16M4 12h16M4 18h10",
      error: "M12 8v5m0 3.5v.5M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z",
      session: "M12 3v3m0 12v3M3 12h3m12 0h3",
      link: "M14 4h6v6m0-6-9 9M10 6H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4",
      image: "M4 5h16v14H4zM4 15l4-4 5 5 3-3 4 4",
    };
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.classList.add("icon");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", paths[name] || paths.session);
    svg.append(path);
    return svg;
  }

  function keyValues(record, testid) {
    const entries = Object.entries(record || {});
    if (entries.length === 0) return el("p", { class: "muted" }, "(none)");
    return el(
      "dl",
      { class: "kv", testid },
      entries.map(([k, v]) => [el("dt", {}, k), el("dd", {}, typeof v === "string" ? (v === "" ? "\u201c\u201d" : v) : JSON.stringify(v))]),
    );
  }

  const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

  async function api(method, url, body) {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : {};
    if (!res.ok) throw Object.assign(new Error(data.message || `HTTP ${res.status}`), { status: res.status });
    return data;
  }

  // ---- rendering ----

  function scrollToEnd() {
    transcript.scrollTo({ top: transcript.scrollHeight, behavior: "auto" });
  }

  function channelLabel(id) {
    const channel = (state.info?.channels || []).find((c) => c.id === id);
    return channel ? channel.label : id;
  }

  function notices(event) {
    const list = (event.notices && event.notices[channelSelect.value]) || [];
    if (list.length === 0) return null;
    return el(
      "ul",
      { class: "notices", "aria-label": `${channelLabel(channelSelect.value)} notices` },
      list.map((n) =>
        el("li", { class: `notice notice-${n.severity}`, testid: "channel-notice", title: n.source }, el("strong", {}, `${channelLabel(channelSelect.value)} ${n.severity === "refused" ? "refuses" : "degrades"}: `), n.message),
      ),
    );
  }

  function sendButton(type, text, payload) {
    return send({ button: { type, text, payload } });
  }

  function cardActionButton(action) {
    if (action.type === "Link") {
      const href = safeUrl(action.url);
      return el("a", { class: "card-action card-link", href, target: "_blank", rel: "noopener noreferrer", testid: "card-link" }, action.text, icon("link"));
    }
    return el("button", { type: "button", class: "card-action", testid: "card-button", onclick: () => sendButton("Button", action.text, action.payload) }, action.text);
  }

  function cardImage(url, title) {
    const src = safeUrl(url);
    if (!src) return null;
    const placeholder = el("div", { class: "card-image card-image-missing", role: "img", "aria-label": `${title} (image not loaded)` }, icon("image"));
    const img = el("img", { class: "card-image", src, alt: "", loading: "lazy" });
    img.addEventListener("error", () => img.replaceWith(placeholder));
    return img;
  }

  function renderCard(card) {
    const body = el("div", { class: "card-body" }, el("h3", { class: "card-title" }, card.title), card.description ? el("p", { class: "card-description" }, card.description) : null);
    const def = card.defaultAction;
    let header = el("div", { class: "card-media" }, cardImage(card.image, card.title), body);
    if (def && def.type === "Link" && safeUrl(def.url)) {
      header = el("a", { class: "card-media card-default", href: safeUrl(def.url), target: "_blank", rel: "noopener noreferrer", title: def.text }, cardImage(card.image, card.title), body);
    } else if (def && def.type === "Postback") {
      header = el("button", { type: "button", class: "card-media card-default", title: def.text, onclick: () => sendButton("Button", def.text, def.payload) }, cardImage(card.image, card.title), body);
    }
    return el("article", { class: "card", testid: "card" }, header, el("div", { class: "card-actions" }, (card.actions || []).map(cardActionButton)));
  }

  function renderCarousel(cards) {
    const track = el("div", { class: "carousel-track", tabindex: "0", "aria-label": `Carousel of ${cards.length} cards` }, cards.map(renderCard));
    const scroll = (dir) => track.scrollBy({ left: dir * (track.clientWidth * 0.8), behavior: "smooth" });
    return el(
      "div",
      { class: "carousel", testid: "carousel" },
      track,
      cards.length > 1
        ? el(
            "div",
            { class: "carousel-nav" },
            el("button", { type: "button", class: "carousel-arrow", "aria-label": "Previous card", onclick: () => scroll(-1) }, "\u2039"),
            el("button", { type: "button", class: "carousel-arrow", "aria-label": "Next card", onclick: () => scroll(1) }, "\u203a"),
          )
        : null,
    );
  }

  function renderBotMessage(event) {
    const message = event.message;
    const content = message.content || [];
    const quickReplies = content.filter((c) => c.contentType === "QuickReply");
    const parts = [];
    if (message.text) parts.push(el("div", { class: "bubble" }, message.text));
    for (const c of content) {
      if (c.contentType === "Card") parts.push(renderCard(c.card));
      if (c.contentType === "Carousel") parts.push(renderCarousel(c.carousel.cards));
    }
    const row = el(
      "div",
      {
        class: `row row-bot${event.origin === "flow" ? " row-flow" : ""}${content.some((c) => c.contentType === "Carousel") ? " row-wide" : ""}`,
        testid: "bot-message", "data-origin": event.origin,
        "data-seq": event.seq,
        lang: state.language,
      },
      el("div", { class: "sender" }, event.origin === "flow" ? "Sent by the flow (Send Response)" : botDisplayName()),
      parts,
      quickReplies.length
        ? el(
            "div",
            { class: "quick-replies", role: "group", "aria-label": "Quick replies" },
            quickReplies.map((q) => el("button", { type: "button", class: "quick-reply", testid: "quick-reply", onclick: () => sendButton("QuickReply", q.quickReply.text, q.quickReply.payload) }, q.quickReply.text)),
          )
        : null,
      notices(event),
    );
    return row;
  }

  function flowEventView(event) {
    const e = event.event;
    const base = (kind, title, ...body) => el("div", { class: `flow-event flow-${kind}`, testid: "flow-event", "data-kind": kind, role: "note" }, el("div", { class: "flow-title" }, icon(kind), el("span", {}, title)), body);
    switch (e.kind) {
      case "botSessionStarted":
        return el("div", { class: "divider", testid: "flow-event", "data-kind": e.kind }, icon("session"), `Bot session started \u00b7 ${e.bot.name} ${e.version}`);
      case "complete":
        return base(
          "complete",
          `Bot completed with intent ${e.intent}`,
          el("h4", {}, "Slots"),
          keyValues(e.slots, "slots"),
          Object.keys(e.parameters).length ? [el("h4", {}, "Output parameters"), keyValues(e.parameters, "parameters")] : null,
        );
      case "failure":
        return base(
          "failure",
          `Failure path \u00b7 ${e.errorType}`,
          el("p", { class: "flow-detail" }, e.errorMessage),
          e.problems && e.problems.length
            ? el(
                "ul",
                { class: "problems" },
                e.problems.map((p) => el("li", {}, el("code", {}, p.path), ` ${p.message} `, el("span", { class: "muted" }, `(${p.source})`))),
              )
            : null,
        );
      case "participantData":
        return base("participantData", "Participant data set", keyValues(e.attributes, "participant-data-set"));
      case "transfer":
        return base("transfer", `Transferred to queue \u201c${e.queue}\u201d (priority ${e.priority})`, el("h4", {}, "Participant data the agent sees"), keyValues(e.participantData, "transfer-data"));
      case "disconnect":
        return base("disconnect", `Disconnected \u00b7 ${e.action}`);
      default:
        return base("error", `Flow error in ${e.action}`, el("p", { class: "flow-detail" }, e.message));
    }
  }

  /** After a transfer the customer waits in the queue, as in Messenger: no "conversation ended". */
  function queuedView() {
    return el(
      "div",
      { class: "queued", testid: "waiting-for-agent", role: "status" },
      el("strong", {}, "Waiting for an agent…"),
      el("p", {}, state.queue ? `You are in the queue “${state.queue}”. In Genesys an agent joins this conversation here; the emulator has no agents.` : "In Genesys an agent joins this conversation here; the emulator has no agents."),
      el("button", { type: "button", class: "button", onclick: () => newConversation() }, "Start a new conversation"),
    );
  }

  function endedView(event) {
    if (event.reason === "transfer") return queuedView();
    const reasons = {
      transfer: "The conversation is with the queue now. In Genesys an agent takes over from here.",
      disconnect: "The flow disconnected the conversation.",
      error: "The flow stopped on an error.",
      abandoned: "You left this conversation.",
    };
    return el(
      "div",
      { class: "ended", testid: "conversation-ended", "data-reason": event.reason },
      el("p", {}, reasons[event.reason] || "The conversation ended."),
      el("button", { type: "button", class: "button button-primary", onclick: () => newConversation() }, "Start a new conversation"),
    );
  }

  function renderCall(event) {
    const o = event.outcome;
    const summary =
      o.kind === "answer" ? `${o.status} \u00b7 ${(o.body && o.body.botState) || "?"}` : `${o.status ? o.status + " \u00b7 " : ""}${o.errorType}`;
    const item = el(
      "li",
      { class: `call ${o.kind === "answer" ? "call-ok" : "call-error"}` },
      el(
        "details",
        {},
        el("summary", {}, el("span", { class: "call-input" }, event.request.inputMessage.text || "(empty)"), el("span", { class: "call-meta" }, `${summary} \u00b7 ${event.durationMs} ms`)),
        el("h4", {}, "Headers"),
        el("pre", {}, JSON.stringify(event.headers, null, 2)),
        el("h4", {}, "Request"),
        el("pre", {}, JSON.stringify(event.request, null, 2)),
        el("h4", {}, o.kind === "answer" ? "Response" : "Outcome"),
        el("pre", {}, o.kind === "answer" ? JSON.stringify(o.body, null, 2) : `${o.errorType}: ${o.errorMessage}`),
      ),
    );
    callsList.append(item);
  }

  /** A message the bot sent later through the outgoing messages API (Digital Bot Connector), with the API's answer. */
  function renderOutgoing(event) {
    const body = event.body || {};
    const item = el(
      "li",
      { class: `call ${event.status === 200 ? "call-ok" : "call-error"}`, testid: "outgoing-call" },
      el(
        "details",
        {},
        el("summary", {}, el("span", { class: "call-input" }, "Outgoing message"), el("span", { class: "call-meta" }, `${event.status} \u00b7 ${body.botState || "?"}`)),
        el("h4", {}, "Body"),
        el("pre", {}, JSON.stringify(body, null, 2)),
        ...(event.problems ? [el("h4", {}, "Refused"), el("pre", {}, event.problems.map((p) => `${p.path}: ${p.message}`).join("\n"))] : []),
      ),
    );
    callsList.append(item);
  }

  function setTyping(on) {
    state.typing = on;
    const existing = transcript.querySelector(".typing");
    if (existing) existing.remove();
    if (on) transcript.append(el("div", { class: "row row-bot typing", testid: "typing", "aria-label": `${botDisplayName()} is typing` }, el("div", { class: "bubble dots" }, el("span"), el("span"), el("span"))));
    updatePresence();
  }

  function updatePresence() {
    const queued = state.status === "ended" && state.endReason === "transfer";
    const text = queued ? "Waiting for an agent" : state.status === "ended" ? "Conversation ended" : state.typing ? "typing\u2026" : "Online";
    presence.textContent = text;
    presence.dataset.status = queued ? "queued" : state.status;
    const ended = state.status === "ended";
    input.disabled = ended;
    composer.querySelector("button").disabled = ended;
    input.placeholder = queued ? "Waiting for an agent\u2026" : ended ? "This conversation has ended" : "Type a message\u2026";
    fireTimeoutButton.disabled = !awaitingFollowUp();
    // No dead buttons: once the conversation ended, nothing answers its card buttons, so they are shown disabled.
    for (const button of transcript.querySelectorAll("button.card-action, button.card-default")) {
      button.disabled = ended;
    }
  }

  /** Quick replies belong to the latest bot message; after the customer answers they are gone (Messenger). */
  function retireQuickReplies() {
    for (const group of transcript.querySelectorAll(".quick-replies")) group.remove();
  }

  function renderEvent(event) {
    let node;
    switch (event.type) {
      case "customer":
        retireQuickReplies();
        node = el("div", { class: "row row-customer", testid: "customer-message", "data-seq": event.seq }, el("div", { class: "bubble" }, event.input.text));
        break;
      case "message":
        if (event.origin === "bot") retireQuickReplies();
        node = renderBotMessage(event);
        break;
      case "flow":
        node = flowEventView(event);
        break;
      case "warning":
        node = el("div", { class: "warning", testid: "warning", role: "note" }, el("strong", {}, "Heads-up: "), event.message);
        break;
      case "typing":
        setTyping(event.on);
        return;
      case "call":
        renderCall(event);
        return;
      case "outgoing":
        renderOutgoing(event);
        return;
      case "ended":
        state.status = "ended";
        state.endReason = event.reason;
        setTyping(false);
        node = endedView(event);
        break;
      default:
        return;
    }
    const typing = transcript.querySelector(".typing");
    const previous = typing ? typing.previousElementSibling : transcript.lastElementChild;
    // Like Messenger, consecutive messages of one sender carry the sender's name once.
    if (previous && node.dataset.origin && previous.dataset.origin === node.dataset.origin) node.classList.add("row-continued");
    transcript.insertBefore(node, typing);
    scrollToEnd();
  }

  function rerender() {
    transcript.replaceChildren();
    callsList.replaceChildren();
    const typing = state.typing;
    state.typing = false;
    for (const event of state.events) renderEvent(event);
    if (typing && state.status !== "ended") setTyping(true);
    updatePresence();
  }

  function accept(event) {
    if (event.seq <= state.lastSeq) return;
    state.lastSeq = event.seq;
    state.events.push(event);
    if (event.type === "started") state.language = event.language;
    if (event.type === "flow" && event.event.kind === "transfer") state.queue = event.event.queue;
    renderEvent(event);
    updatePresence();
  }

  // ---- conversation lifecycle ----

  function listen(id) {
    if (state.source) state.source.close();
    // EventSource reconnects by itself and resumes with Last-Event-ID.
    const source = new EventSource(`/api/conversations/${encodeURIComponent(id)}/events?after=${state.lastSeq}`);
    source.onmessage = (m) => {
      if (state.conversationId !== id) return;
      accept(JSON.parse(m.data));
    };
    source.onerror = () => {
      if (state.status !== "ended") presence.textContent = "Reconnecting\u2026";
    };
    state.source = source;
  }

  function participantData() {
    const out = {};
    for (const field of $("participant-data").querySelectorAll("input")) if (field.value.trim() !== "") out[field.name] = field.value.trim();
    return out;
  }

  function reset(id, language) {
    state.conversationId = id;
    state.language = language;
    state.status = "running";
    state.endReason = null;
    state.queue = null;
    state.events = [];
    state.lastSeq = 0;
    state.typing = false;
    transcript.replaceChildren();
    callsList.replaceChildren();
    transcript.lang = language;
    if (id) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ id, language, bot: state.bot.id }));
    updatePresence();
  }

  async function newConversation() {
    const previous = state.conversationId;
    if (state.source) state.source.close();
    if (previous) api("DELETE", `/api/conversations/${encodeURIComponent(previous)}`).catch(() => undefined);
    const language = languageSelect.value;
    // The old transcript goes at once; events of the old conversation are ignored from here on.
    reset(null, language);
    presence.textContent = "Starting\u2026";
    try {
      const body = { language, participantData: participantData(), ...(state.info.bots ? { bot: state.bot.id } : {}) };
      const started = await api("POST", "/api/conversations", body);
      reset(started.id, started.language);
      listen(started.id);
      input.focus();
    } catch (err) {
      transcript.append(el("div", { class: "warning", role: "alert" }, `Could not start a conversation: ${err.message}`));
    }
  }

  async function send(body) {
    if (!state.conversationId || state.status === "ended") return;
    try {
      await api("POST", `/api/conversations/${encodeURIComponent(state.conversationId)}/messages`, body);
    } catch (err) {
      transcript.append(el("div", { class: "warning", role: "alert" }, err.message));
      scrollToEnd();
    }
  }

  async function resume() {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
    const bot = saved && bots().find((b) => b.id === saved.bot);
    if (!saved || !bot || !bot.flow.languages.includes(saved.language)) return false;
    try {
      await api("GET", `/api/conversations/${encodeURIComponent(saved.id)}?after=999999`);
    } catch {
      return false;
    }
    applyBot(bot);
    languageSelect.value = saved.language;
    reset(saved.id, saved.language);
    listen(saved.id);
    return true;
  }

  // ---- set-up ----

  function languageName(tag) {
    try {
      const names = new Intl.DisplayNames([tag, "en"], { type: "language" });
      return `${names.of(tag)} (${tag})`;
    } catch {
      return tag;
    }
  }

  /** The bots the emulator plays (one flow each); an older emulator describes only its one flow. */
  function bots() {
    return state.info.bots || [{ ...state.info, id: state.info.bot ? state.info.bot.id : "bot" }];
  }

  function botDisplayName() {
    return (state.bot || state.info)?.messenger.botDisplayName;
  }

  function duration(ms) {
    if (ms === undefined || ms === null) return "not set";
    const minutes = ms / 60000;
    if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
    if (minutes >= 1 && Number.isInteger(minutes)) return `${minutes} min`;
    return `${Math.round(ms / 1000)} s`;
  }

  /** Shows the flow and bot a new conversation will play: name, languages, participant data, facts. */
  function applyBot(bot) {
    state.bot = bot;
    botSelect.value = bot.id;
    const name = bot.messenger.botDisplayName;
    document.title = `${name} \u2014 Genesys emulator`;
    $("bot-name").textContent = name;
    $("avatar").textContent = name.trim().charAt(0).toUpperCase() || "?";
    const protocol = state.info.protocol === "v2" ? "Digital Bot Connector" : "Bot Connector";
    document.querySelector("[data-testid=flow-name]").textContent = `${bot.flow.name} \u00b7 ${protocol}`;
    document.body.dataset.protocol = state.info.protocol || "v1";
    $("calls-hint").textContent =
      state.info.protocol === "v2"
        ? "Each POST to the Bot Connector URI's /messages as Genesys sends it, and each outgoing message the bot sent later. Credential headers are masked."
        : "Each POST to the Handle Utterance URI, as Genesys sends it. Credential headers are masked.";
    languageSelect.replaceChildren(...bot.flow.languages.map((lang) => el("option", { value: lang, selected: lang === bot.flow.defaultLanguage }, languageName(lang))));
    const fields = $("participant-data");
    fields.replaceChildren();
    if (bot.participantDataRead.length === 0) fields.append(el("p", { class: "muted" }, "The flow reads no participant data."));
    for (const attribute of bot.participantDataRead) {
      const id = `pd-${attribute}`;
      fields.append(el("label", { class: "field", for: id }, el("span", {}, attribute), el("input", { id, name: attribute, type: "text", maxlength: "200", autocomplete: "off", testid: `participant-${attribute}` })));
    }
    const facts = [
      ["Protocol", state.info.protocol === "v2" ? "Digital Bot Connector (v2)" : "Bot Connector (v1)"],
      ["Bot", bot.bot ? `${bot.bot.name} (${bot.bot.id}) ${bot.bot.version}` : "\u2014"],
      ["Intents", bot.bot ? bot.bot.intents.join(", ") : "\u2014"],
      ["Integration", bot.integration || "\u2014"],
      ["Endpoint", state.info.botConnectorUrl],
      ["Start", state.info.autoStart ? "Auto-start (empty first message)" : "On the first customer message"],
      ["Follow-up timeout", duration(bot.flow.followUpTimeoutMs)],
    ];
    $("flow-info").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    $("fire-timeout-hint").textContent = `The flow waits ${duration(bot.flow.followUpTimeoutMs)} for the customer's answer to the bot. This runs the flow's timeout path at once.`;
  }

  function fillControls(info) {
    document.documentElement.style.setProperty("--primary", info.messenger.primaryColor);
    for (const c of info.channels) channelSelect.append(el("option", { value: c.id }, c.label));
    const all = bots();
    botSelect.replaceChildren(...all.map((b) => el("option", { value: b.id }, b.bot ? `${b.bot.name} (${b.id})` : b.id)));
    $("bot-control").hidden = all.length < 2;
    applyBot(all[0]);
  }

  /** Whether the flow waits for the customer's answer to the bot: the last call answered MoreData, and nothing came since. */
  function awaitingFollowUp() {
    if (!state.conversationId || state.status === "ended") return false;
    for (let i = state.events.length - 1; i >= 0; i--) {
      const e = state.events[i];
      if (e.type === "customer") return false;
      if (e.type === "call") return e.outcome.kind === "answer" && String((e.outcome.body && e.outcome.body.botState) || "").toLowerCase() === "moredata";
    }
    return false;
  }

  async function fireFollowUpTimeout() {
    if (!awaitingFollowUp()) return;
    fireTimeoutButton.disabled = true;
    try {
      await api("POST", `/api/conversations/${encodeURIComponent(state.conversationId)}/follow-up-timeout`);
    } catch (err) {
      transcript.append(el("div", { class: "warning", role: "alert" }, err.message));
      scrollToEnd();
    }
  }

  /**
   * Asks before a change that ends the conversation the tester is in (Messenger keeps one conversation; the
   * emulator starts a new one). Nothing to ask when it has ended or the customer has not written yet.
   */
  function confirmEnd(message) {
    const inProgress = state.conversationId && state.status !== "ended" && state.events.some((e) => e.type === "customer");
    if (!inProgress) return Promise.resolve(true);
    const dialog = $("confirm");
    $("confirm-message").textContent = message;
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.showModal();
      $("confirm-ok").focus();
    });
  }

  composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text });
  });
  languageSelect.addEventListener("change", async () => {
    const language = languageSelect.value;
    if (await confirmEnd(`Switching to ${languageName(language)} ends this conversation and starts a new one in that language.`)) newConversation();
    else languageSelect.value = state.language;
  });
  botSelect.addEventListener("change", async () => {
    const next = bots().find((b) => b.id === botSelect.value);
    if (next && (await confirmEnd(`Switching to ${next.messenger.botDisplayName} ends this conversation and starts a new one with that bot.`))) {
      applyBot(next);
      newConversation();
    } else botSelect.value = state.bot.id;
  });
  channelSelect.addEventListener("change", () => rerender());
  fireTimeoutButton.addEventListener("click", () => fireFollowUpTimeout());
  $("new-conversation").addEventListener("click", () => newConversation());

  (async function init() {
    try {
      state.info = await api("GET", "/api/info");
    } catch (err) {
      presence.textContent = `The emulator is not reachable: ${err.message}`;
      return;
    }
    fillControls(state.info);
    if (!(await resume())) await newConversation();
  })();
})();
