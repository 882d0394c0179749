// LTI platform storage (1EdTech "LTI Client Side postMessages", "OIDC Login with LTI Client
// Side postMessages", "postMessage Storage"): the LMS keeps the login's state and nonce for
// this browser, where third-party cookies are blocked. The page gives its data in the
// data-* attributes of #stockage-plateforme:
// - data-mode="login": store the values, tell the tool, go on to the platform; on any
//   failure go on all the same (the tool then checks the login on its server alone);
// - data-mode="launch": read the values back and post them to the tool, which compares.
(function () {
  "use strict";

  var ANSWER_WAIT_MS = 2000;
  var root = document.getElementById("stockage-plateforme");
  if (!root) {
    return;
  }
  var data = root.dataset;
  // The window that embeds the tool (or opened it): where the platform answers.
  var platform = window.opener || window.parent;

  function messageId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // Posts `message` to `target` and resolves with the answer (subject + ".response", same
  // message_id, from that window, from `origin` unless it is "*").
  function ask(target, origin, message) {
    return new Promise(function (resolve, reject) {
      var id = messageId();
      var timer;
      function onMessage(event) {
        var answer = event.data;
        if (!answer || typeof answer !== "object") {
          return;
        }
        if (answer.subject !== message.subject + ".response") {
          return;
        }
        // Some platforms answer the capabilities without echoing the message_id.
        var capabilities = message.subject === "lti.capabilities";
        if (answer.message_id !== id && !(capabilities && answer.message_id === undefined)) {
          return;
        }
        if (!capabilities && event.source !== target) {
          return;
        }
        if (origin !== "*" && event.origin !== origin) {
          return;
        }
        window.removeEventListener("message", onMessage);
        window.clearTimeout(timer);
        if (answer.error) {
          reject(new Error(String(answer.error.code || "error")));
        } else {
          resolve(answer);
        }
      }
      window.addEventListener("message", onMessage);
      timer = window.setTimeout(function () {
        window.removeEventListener("message", onMessage);
        reject(new Error("timeout:" + message.subject));
      }, ANSWER_WAIT_MS);
      message.message_id = id;
      target.postMessage(message, origin);
    });
  }

  // Subject -> frame name, for the subjects the platform supports. A frame named in the
  // capabilities wins (Blackboard puts it there), then lti_storage_target (Canvas).
  function capabilities() {
    return ask(platform, "*", { subject: "lti.capabilities" }).then(function (answer) {
      var frames = {};
      (answer.supported_messages || []).forEach(function (supported) {
        if (supported && typeof supported.subject === "string") {
          frames[supported.subject] = typeof supported.frame === "string" ? supported.frame : data.target;
        }
      });
      return frames;
    });
  }

  function storageWindow(frames, subject) {
    if (!Object.prototype.hasOwnProperty.call(frames, subject)) {
      throw new Error("unsupported:" + subject);
    }
    var name = frames[subject];
    if (!name || name === "_parent") {
      return platform;
    }
    var named = null;
    try {
      named = platform.frames[name];
    } catch (error) {
      named = null;
    }
    return named || platform;
  }

  function putData(frames, key, value) {
    var target = storageWindow(frames, "lti.put_data");
    return ask(target, data.origin, { subject: "lti.put_data", key: key, value: value });
  }

  function getData(frames, key) {
    var target = storageWindow(frames, "lti.get_data");
    return ask(target, data.origin, { subject: "lti.get_data", key: key }).then(function (answer) {
      return answer.key === key && typeof answer.value === "string" ? answer.value : "";
    });
  }

  function login() {
    function goOn() {
      window.location.replace(data.authUrl);
    }
    if (platform === window || !platform) {
      goOn();
      return;
    }
    capabilities()
      .then(function (frames) {
        return putData(frames, data.stateKey, data.state).then(function () {
          return putData(frames, data.nonceKey, data.nonce);
        });
      })
      .then(function () {
        // Both values are in the platform: from now on the launch must find them there.
        return window
          .fetch(data.storedUrl, {
            method: "POST",
            credentials: "omit",
            body: new URLSearchParams({ state: data.state }),
          })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("not bound: " + response.status);
            }
          });
      })
      .then(goOn, goOn);
  }

  function launch() {
    var form = root;
    function send(problem) {
      form.elements.namedItem("problem").value = problem;
      form.submit();
    }
    if (platform === window || !platform) {
      send("no platform window");
      return;
    }
    capabilities()
      .then(function (frames) {
        return getData(frames, data.stateKey).then(function (state) {
          form.elements.namedItem("state").value = state;
          return getData(frames, data.nonceKey);
        });
      })
      .then(function (nonce) {
        form.elements.namedItem("nonce").value = nonce;
        send("");
      })
      .catch(function (error) {
        send(String((error && error.message) || error));
      });
  }

  if (data.mode === "login") {
    login();
  } else if (data.mode === "launch") {
    launch();
  }
})();
