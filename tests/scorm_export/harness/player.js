// Test LMS: scorm-again as the LMS-side API, seeded like Moodle seeds a launch, with the
// SCO in an iframe (Moodle's default). Every API call is logged in window.lmsCalls.
"use strict";
window.lmsCalls = [];
fetch("/session.json")
  .then((response) => response.json())
  .then((session) => {
    const settings = {
      lmsCommitUrl: "/commit",
      autocommit: false,
      logLevel: 5,
      dataCommitFormat: "json",
      mastery_override: true, // Moodle: the mastery score decides passed/failed at finish
    };
    const api = session.standard === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
    if (session.cmi) api.loadFromJSON(session.cmi);
    const names = session.standard === "1.2"
      ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"]
      : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit"];
    for (const name of names) {
      const original = api[name].bind(api);
      api[name] = (...args) => {
        const result = original(...args);
        const error = session.standard === "1.2" ? api.LMSGetLastError() : api.GetLastError();
        window.lmsCalls.push({ fn: name, args, result: String(result), error: String(error) });
        return result;
      };
    }
    window[session.standard === "1.2" ? "API" : "API_1484_11"] = api;
    window.lmsApi = api;
    document.getElementById("sco").src = "/pkg/" + session.href;
  });
