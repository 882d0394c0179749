/* Ambassadeurs NR — SCORM runtime of a SCO page (SCORM 1.2 and 2004, same file).
   Finds the LMS API, resumes from suspend_data and the location, answers and scores
   questions (quiz-scoring.js), records each answer as an interaction, commits after every
   answer and finishes from the page's own "finish" button: finishing in `unload` is
   blocked in current Chromium and a synchronous commit in `pagehide` is refused, so those
   handlers are only a best-effort fallback. Without an LMS the page still works and says
   that nothing is recorded.
   A page loads only the parts it uses: the package builder (scorm_export/runtime_parts.py)
   keeps the lines between `// @part NAME` and `// @end` only in the scripts that need
   NAME (questions, scene, quiz, fiche, lesson). */
(function () {
  "use strict";

  var body = document.body;
  // The package's words, written in by the package builder (scorm_export/messages.py).
  var T = /*@messages*/null;
  var FRENCH = document.documentElement.lang === "fr";
  var is12 = body.getAttribute("data-standard") === "1.2";
  var KIND = body.getAttribute("data-kind");
  var SCO = body.getAttribute("data-sco");
  var LIMIT = Number(body.getAttribute("data-suspend-limit")) || 4096;
  var SEP = is12 ? { list: ",", pair: "." } : { list: "[,]", pair: "[.]" };
  var CMI = is12
    ? {
        location: "cmi.core.lesson_location", status: "cmi.core.lesson_status",
        exit: "cmi.core.exit", time: "cmi.core.session_time", mode: "cmi.core.lesson_mode",
        raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
        response: "student_response", wrong: "wrong", normalExit: ""
      }
    : {
        location: "cmi.location", status: "cmi.completion_status", mode: "cmi.mode",
        exit: "cmi.exit", time: "cmi.session_time", success: "cmi.success_status",
        raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
        scaled: "cmi.score.scaled", response: "learner_response", wrong: "incorrect",
        normalExit: "normal"
      };

  // --- The LMS API ---------------------------------------------------------------------

  function apiIn(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        var api = is12 ? win.API : win.API_1484_11;
        if (api) return api;
      } catch (e) {
        // A window of another origin: keep climbing.
      }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    var api = apiIn(window);
    try {
      if (!api && window.opener) api = apiIn(window.opener);
      if (!api && window.top && window.top.opener) api = apiIn(window.top.opener);
    } catch (e) {
      // The opener belongs to another origin.
    }
    return api;
  }

  var api = null;
  var connected = false;
  var finished = false;
  var readOnly = false;

  function call(name12, name2004) {
    var args = Array.prototype.slice.call(arguments, 2);
    try {
      return String(api[is12 ? name12 : name2004].apply(api, args));
    } catch (e) {
      return "false";
    }
  }
  function get(element) { return connected ? call("LMSGetValue", "GetValue", element) : ""; }
  function set(element, value) {
    return connected && !readOnly && call("LMSSetValue", "SetValue", element, String(value)) === "true";
  }
  function commit() {
    if (!connected || readOnly) return false;
    set(CMI.time, duration(Date.now() - started));
    return call("LMSCommit", "Commit", "") === "true";
  }
  function finish(exit) {
    if (!connected) return false;
    set(CMI.exit, exit);
    commit();
    var ok = call("LMSFinish", "Terminate", "") === "true";
    connected = false;
    finished = true;
    return ok;
  }

  // --- Time formats ----------------------------------------------------------------------

  function pad(n, width) { n = String(n); while (n.length < width) n = "0" + n; return n; }

  /** A duration: HHHH:MM:SS.SS in SCORM 1.2, ISO 8601 (PT1H2M3.45S) in SCORM 2004. */
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    if (is12) {
      return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(Math.floor(s), 2) + "." + pad(cs % 100, 2);
    }
    return "PT" + h + "H" + m + "M" + s.toFixed(2) + "S";
  }

  function clock(date) {
    var time = pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
    if (is12) return time;
    return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) + "T" + time;
  }

  // --- Saved state (suspend_data) --------------------------------------------------------

  var started = Date.now();
  var state = { r: {}, f: {}, c: {}, d: 0 };

  function save() {
    var data = JSON.stringify(state);
    if (data.length > LIMIT) return false;
    if (!connected) return true;
    set("cmi.suspend_data", data);
    return commit();
  }

  function say(element, message) {
    if (element) element.textContent = message;
  }

  function number(x) {
    var text = String(Math.round(x * 100) / 100);
    return FRENCH ? text.replace(".", ",") : text;
  }

  /** T[key] with its {placeholders} filled in. */
  function fmt(key, values) {
    return T[key].replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  /** forEach on a NodeList or HTMLCollection. */
  function each(list, action) { Array.prototype.forEach.call(list, action); }
  function byId(id) { return document.getElementById(id); }

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    if (text) element.textContent = text;
    return element;
  }

  // @part questions
  // --- Feedback: one file per SCO, fetched at the first answer ---------------------------

  var feedbackFile = null;

  function feedbackBlocks() {
    if (!feedbackFile) {
      feedbackFile = fetch(body.getAttribute("data-feedback"))
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (text) {
          var file = new DOMParser().parseFromString(text, "text/html");
          // The sources and terms only the feedback cites come with it, after the page's own.
          var end = document.querySelector("main .conteneur");
          each(file.querySelectorAll(".references"), function (section) {
            end.appendChild(document.importNode(section, true));
          });
          return file;
        });
    }
    return feedbackFile;
  }

  // --- Questions ---------------------------------------------------------------------------

  var forms = Array.prototype.slice.call(document.querySelectorAll("form.question"));
  var shownAt = {};

  function readResponse(form, key) {
    var checked = Array.prototype.slice.call(form.querySelectorAll("input:checked"));
    switch (key.type) {
      case "single_choice": return checked.length ? checked[0].value : undefined;
      case "true_false": return checked.length ? checked[0].value === "true" : undefined;
      case "multiple_choice":
        return checked.length ? checked.map(function (input) { return input.value; }) : undefined;
      case "numeric": {
        var value = form.querySelector("input[type=text]").value;
        return value.trim() ? value : undefined;
      }
      case "matching": {
        var answer = {};
        var selects = form.querySelectorAll("select");
        for (var i = 0; i < selects.length; i++) {
          if (!selects[i].value) return undefined;
          answer[selects[i].getAttribute("data-left")] = selects[i].value;
        }
        return answer;
      }
      case "ordering":
        return Array.prototype.map.call(form.querySelectorAll("li[data-item]"), function (li) {
          return li.getAttribute("data-item");
        });
    }
    return undefined;
  }

  function restoreResponse(form, key, response) {
    var i;
    if (key.type === "numeric") {
      form.querySelector("input[type=text]").value = String(response);
    } else if (key.type === "matching") {
      var selects = form.querySelectorAll("select");
      for (i = 0; i < selects.length; i++) selects[i].value = response[selects[i].getAttribute("data-left")] || "";
    } else if (key.type === "ordering") {
      var list = form.querySelector("ol.ordre");
      for (i = 0; i < response.length; i++) {
        var li = list.querySelector('li[data-item="' + response[i] + '"]');
        if (li) list.appendChild(li);
      }
    } else {
      var values = [].concat(response).map(String);
      each(form.querySelectorAll("input"), function (input) {
        input.checked = values.indexOf(input.value) >= 0;
      });
    }
  }

  /** The learner's response in the interaction format of the standard. */
  function formatResponse(info, key, response) {
    var tokens = info.tokens || {};
    switch (info.type) {
      case "true-false": return tokens[String(response)] || String(response);
      case "choice":
        return [].concat(response).map(function (id) { return tokens[id] || id; }).join(SEP.list);
      case "numeric": return String(AmbassadeursScoring.asNumber(response));
      case "matching":
        return key.pairs.filter(function (left) { return response[left]; }).map(function (left) {
          return (tokens[left] || left) + SEP.pair + (tokens[response[left]] || response[left]);
        }).join(SEP.list);
      case "sequencing":
        return response.map(function (id) { return tokens[id] || id; }).join(SEP.list);
    }
    return String(response);
  }

  function record(key, info, response, result) {
    if (!connected || readOnly) return;
    var type = info.type;
    var pattern = info.pattern;
    if (type === "numeric" && !isFinite(AmbassadeursScoring.asNumber(response))) {
      type = "fill-in"; // a text that is not a number cannot be recorded as numeric
      pattern = String(key.answer);
    }
    var n = Number(get("cmi.interactions._count")) || 0; // Moodle restores earlier ones
    var p = "cmi.interactions." + n + ".";
    set(p + "id", key.id);
    set(p + "type", type);
    set(p + (is12 ? "time" : "timestamp"), clock(new Date()));
    set(p + "weighting", key.points);
    var formatted = type === "fill-in" ? String(response).slice(0, 250) : formatResponse(info, key, response);
    set(p + CMI.response, formatted);
    set(p + "correct_responses.0.pattern", pattern);
    set(p + "result", result.correct ? "correct" : CMI.wrong);
    set(p + "latency", duration(Date.now() - (shownAt[key.id] || started)));
    if (!is12) set(p + "description", info.description.slice(0, 250));
  }

  function showFeedback(form, key, response, result) {
    var verdict = result.correct ? T.right : result.score > 0 ? T.partly : T.wrong;
    say(form.querySelector(".verdict"), fmt("score", {
      verdict: verdict, score: number(result.score), max: key.points,
      points: key.points > 1 ? T.points : T.point
    }));
    var shown;
    if (key.type === "true_false") shown = [String(response)];
    else if (key.type === "numeric") shown = [result.correct ? "correct" : "incorrect"];
    return feedbackBlocks().then(function (file) {
      var retours = file.querySelector('[data-for="' + form.id + '"]');
      if (!retours || form.querySelector(".retours")) return;
      retours = document.importNode(retours, true);
      each(retours.querySelectorAll("[data-feedback]"), function (item) {
        var id = item.getAttribute("data-feedback");
        item.hidden = shown ? shown.indexOf(id) < 0 : false;
        var option = form.querySelector('input[value="' + id + '"]');
        if (option && (key.type === "single_choice" || key.type === "multiple_choice")) {
          // The option's own words before its feedback, taken from the question.
          item.insertBefore(make("strong", {}, option.parentNode.textContent.trim() + " : "), item.firstChild);
        }
      });
      form.querySelector(".verdict").insertAdjacentElement("afterend", retours);
    }).catch(function () {
      form.querySelector(".verdict").insertAdjacentElement("afterend", make("p", { "class": "retours" }, T.no_feedback));
    });
  }

  // @end
  // @part scene
  /** A scene's categories and lever weights, kept with the answers (formative, not scored). */
  function readClassement(form) {
    each(form.querySelectorAll("select[data-classement]"), function (select) {
      if (!select.value) return;
      var id = select.getAttribute("data-classement");
      state.c[id] = state.c[id] || {};
      state.c[id][select.getAttribute("data-champ")] = select.value;
    });
  }

  /** A flagged situation gets its category and lever selects (from the page's template). */
  function showClassement(input) {
    var model = byId("classement");
    var situation = input.closest(".situation");
    if (!model || !situation) return;
    var current = situation.querySelector(".classement");
    if (!input.checked || current) {
      if (!input.checked && current) situation.removeChild(current);
      return;
    }
    var id = input.value;
    var copy = document.importNode(model.content, true);
    each(copy.querySelectorAll("[for], [id], [data-classement]"), function (element) {
      ["for", "id", "data-classement"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value) element.setAttribute(name, value.replace("ID", id));
      });
    });
    each(copy.querySelectorAll(".visuellement-cache"), function (hint) {
      hint.textContent = " : " + input.parentNode.textContent.trim();
    });
    situation.appendChild(copy);
  }

  function restoreClassement(form) {
    each(form.querySelectorAll('input[name="scene"]'), showClassement);
    each(form.querySelectorAll("select[data-classement]"), function (select) {
      var saved = state.c[select.getAttribute("data-classement")];
      if (saved) select.value = saved[select.getAttribute("data-champ")] || "";
    });
  }

  // @end
  // @part questions
  function lock(form) {
    each(form.querySelectorAll("input, select, button"), function (control) {
      control.disabled = true;
    });
    form.classList.add("repondue");
  }

  function setupQuestion(form) {
    var key = JSON.parse(form.getAttribute("data-key"));
    var info = JSON.parse(form.getAttribute("data-interaction"));
    info.description = form.querySelector("legend").textContent.replace(/\s+/g, " ").trim();
    var verdict = form.querySelector(".verdict");
    // @part scene
    form.addEventListener("change", function (event) {
      if (event.target.name === "scene") showClassement(event.target);
    });
    // @end
    form.addEventListener("focusin", function () {
      if (!shownAt[key.id]) shownAt[key.id] = Date.now();
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-move]") : null;
      if (!button) return;
      var li = button.closest("li");
      var list = li.parentNode;
      var items = Array.prototype.slice.call(list.children);
      var index = items.indexOf(li) + Number(button.getAttribute("data-move"));
      if (index < 0 || index >= items.length) return;
      if (index < items.indexOf(li)) list.insertBefore(li, items[index]);
      else list.insertBefore(li, items[index].nextSibling);
      button.focus();
      var text = li.querySelector(".ordre-texte").textContent;
      say(verdict, fmt("moved", { text: text, position: index + 1, count: items.length }));
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.classList.contains("repondue")) return;
      var response = readResponse(form, key);
      if (response === undefined) {
        say(verdict, key.type === "matching" ? T.match_first : T.answer_first);
        return;
      }
      var result = AmbassadeursScoring.scoreQuestion(key, response);
      showFeedback(form, key, response, result);
      lock(form);
      state.r[key.id] = response;
      // @part scene
      readClassement(form);
      // @end
      record(key, info, response, result);
      if (connected) set(CMI.location, key.id);
      save();
      verdict.setAttribute("tabindex", "-1");
      verdict.focus();
    });
    if (Object.prototype.hasOwnProperty.call(state.r, key.id)) {
      var saved = state.r[key.id];
      restoreResponse(form, key, saved);
      // @part scene
      restoreClassement(form);
      // @end
      showFeedback(form, key, saved, AmbassadeursScoring.scoreQuestion(key, saved));
      lock(form);
    }
    return key;
  }

  // @end
  // @part fiche
  // --- The fiche (workshop submission) ---------------------------------------------------

  var fiche = byId("fiche");

  function ficheValues() {
    var values = {};
    each(fiche.elements, function (field) {
      if (!field.name || field.type === "submit") return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      values[field.name] = field.value;
    });
    return values;
  }

  function ficheProblems() {
    var problems = [];
    each(fiche.querySelectorAll("[required], [data-max-words]"), function (field) {
      var value = field.type === "radio" ? (fiche.querySelector('input[name="' + field.name + '"]:checked') || {}).value : field.value;
      var words = (value || "").trim().split(/\s+/).filter(Boolean).length;
      var max = Number(field.getAttribute("data-max-words")) || 0;
      var wrong = (field.required && !words) || (max && words > max);
      field.setAttribute("aria-invalid", wrong ? "true" : "false");
      if (wrong && problems.indexOf(field.name) < 0) problems.push(field.name);
    });
    return problems;
  }

  function setupFiche() {
    var status = byId("fiche-etat");
    each(fiche.querySelectorAll("textarea"), function (area) {
      var copy = document.createElement("div"); // textareas print cut off: print a copy
      copy.className = "impression";
      area.parentNode.insertBefore(copy, area.nextSibling);
    });
    Object.keys(state.f).forEach(function (name) {
      each(fiche.querySelectorAll('[name="' + name + '"]'), function (field) {
        if (field.type === "radio") field.checked = field.value === state.f[name];
        else field.value = state.f[name];
      });
    });
    window.addEventListener("beforeprint", function () {
      each(fiche.querySelectorAll("textarea"), function (area) {
        area.nextSibling.textContent = area.value;
      });
    });
    fiche.addEventListener("submit", function (event) {
      event.preventDefault();
      var problems = ficheProblems();
      var previous = state.f;
      state.f = ficheValues();
      if (!save()) {
        state.f = previous;
        say(status, fmt("fiche_too_long", { limit: LIMIT }));
        return;
      }
      var used = JSON.stringify(state).length;
      say(status, fmt(connected ? "fiche_saved" : "fiche_kept", { used: used, limit: LIMIT }) +
        (problems.length ? " " + fmt("fiche_missing", { count: problems.length }) : ""));
    });
    fiche.querySelector("[data-action=imprimer]").addEventListener("click", function () {
      body.classList.add("imprimer-fiche"); // print the fiche alone
      window.print();
    });
    window.addEventListener("afterprint", function () { body.classList.remove("imprimer-fiche"); });
  }

  // @end
  // --- Finishing -------------------------------------------------------------------------

  // @part quiz
  var quizKey = null;

  function finishQuiz() {
    var result = AmbassadeursScoring.scoreQuiz(quizKey, state.r);
    var percent = Math.round(result.scaled * 10000) / 100;
    var passPercent = Math.round(quizKey.pass_mark * 10000) / 100;
    // The LMS compares the score with the mastery score itself (Moodle overrides the 1.2
    // status at finish): a failed attempt must never round up to the pass mark.
    if (!result.passed && percent >= passPercent) percent = passPercent - 0.01;
    state.d = 1;
    save();
    set(CMI.min, 0);
    set(CMI.max, 100);
    set(CMI.raw, percent);
    if (is12) {
      set(CMI.status, result.passed ? "passed" : "failed");
    } else {
      set(CMI.scaled, Math.round(percent * 100) / 10000);
      set(CMI.status, "completed");
      set(CMI.success, result.passed ? "passed" : "failed");
    }
    return fmt("result", { percent: number(percent), score: number(result.score), max: result.max }) + " " +
      (result.passed ? T.passed : fmt("failed", { percent: number(passPercent) }));
  }

  // @end
  // @part fiche
  function recordFiche() {
    if (!fiche || !connected) return;
    Object.keys(state.f).forEach(function (name) {
      if (!state.f[name]) return;
      var n = Number(get("cmi.interactions._count")) || 0;
      var p = "cmi.interactions." + n + ".";
      set(p + "id", SCO + ".fiche." + name);
      set(p + "type", is12 ? "fill-in" : "long-fill-in");
      set(p + CMI.response, is12 ? state.f[name].slice(0, 255) : state.f[name].slice(0, 4000));
      set(p + "result", "neutral");
    });
  }

  // @end
  function onFinish(button) {
    var message;
    // @part quiz
    if (KIND === "quiz") {
      message = finishQuiz();
      forms.forEach(lock);
    } else {
    // @end
      // @part fiche
      if (fiche) {
        fiche.dispatchEvent(new Event("submit", { cancelable: true }));
        recordFiche();
      }
      // @end
      set(CMI.status, "completed");
      message = KIND === "lesson" ? T.lesson_done : T.workshop_done;
    // @part quiz
    }
    // @end
    var was = connected;
    // A workshop stays suspended so that its fiche is still there when the learner returns.
    var ok = finish(KIND === "workshop" ? "suspend" : CMI.normalExit);
    button.disabled = true;
    say(byId("resultat"), message + " " + (was ? (ok ? T.recorded : T.not_confirmed) : T.nothing_recorded));
  }

  // @part lesson
  // --- Lesson position -------------------------------------------------------------------

  function trackLesson() {
    var headings = Array.prototype.slice.call(document.querySelectorAll(".lecon h2, .lecon h3"));
    headings.forEach(function (h, i) { if (!h.id) h.id = "partie-" + (i + 1); });
    var last = "";
    window.addEventListener("scroll", function () {
      var current = "";
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top < window.innerHeight / 3) current = headings[i].id;
      }
      if (current && current !== last) {
        last = current;
        set(CMI.location, current); // committed with the next commit
      }
    }, { passive: true });
  }

  // @end
  // --- Start -------------------------------------------------------------------------------

  function start() {
    body.classList.add("js");
    each(document.querySelectorAll(".sans-js"), function (p) { p.hidden = true; });
    each(document.querySelectorAll('a[href^="http"]'), function (a) {
      // Following a link inside the SCO frame would end the SCO: open it beside.
      a.target = "_blank";
      a.rel = "noopener";
      var hint = document.createElement("span");
      hint.className = "visuellement-cache";
      hint.textContent = " " + T.new_window;
      a.appendChild(hint);
    });
    var status = byId("etat-lms");
    api = findApi();
    if (api) connected = call("LMSInitialize", "Initialize", "") === "true";
    var location = "";
    if (connected) {
      var mode = get(CMI.mode);
      readOnly = mode === "review" || mode === "browse";
      try {
        var saved = JSON.parse(get("cmi.suspend_data") || "null");
        if (saved && typeof saved === "object") state = { r: saved.r || {}, f: saved.f || {}, c: saved.c || {}, d: saved.d || 0 };
      } catch (e) {
        // Unreadable data from another version of the page: start afresh.
      }
      location = get(CMI.location);
      var current = get(CMI.status);
      if (current === "not attempted" || current === "unknown" || current === "") set(CMI.status, "incomplete");
      set(CMI.exit, "suspend"); // leaving without finishing keeps the place and the answers
      commit();
      say(status, readOnly ? T.review : T.connected);
    } else {
      say(status, T.no_lms);
    }
    status.classList.add(connected ? "connecte" : "deconnecte");

    // @part questions
    var keys = forms.map(setupQuestion);
    // @end
    // @part quiz
    quizKey = JSON.parse(body.getAttribute("data-quiz"));
    quizKey.questions = keys;
    // @end
    // @part fiche
    if (fiche) setupFiche();
    // @end
    // @part lesson
    trackLesson();
    // @end

    var finishButton = document.querySelector("[data-action=terminer]");
    finishButton.addEventListener("click", function () { onFinish(finishButton); });
    // @part quiz
    if (state.d) {
      forms.forEach(lock);
      finishButton.disabled = true;
      say(byId("resultat"), T.quiz_done);
    }
    // @end

    var target = location && byId(location.indexOf(".") >= 0 ? "q-" + location.replace(/\./g, "-") : location);
    if (target) {
      target.scrollIntoView();
      say(status, status.textContent + " " + T.resumed);
    }

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") commit();
    });
    window.addEventListener("pagehide", function () {
      // Best effort only: answers were already committed one by one.
      if (connected && !finished) finish("suspend");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
