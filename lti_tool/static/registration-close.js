// LTI Dynamic Registration 1.0: the tool tells the LMS that registration is over
// (message "org.imsglobal.lti.close" to the window that opened it, or to the page that
// frames it). The button stays hidden without JavaScript; the page says what to do then.
(function () {
  var button = document.getElementById("fermer-inscription");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var lms = window.opener || window.parent;
    lms.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  });
})();
