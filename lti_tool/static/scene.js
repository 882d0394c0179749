// The bad-practices scene, made clickable: each situation is a card that the learner
// flags by clicking anywhere on it, and a counter says how many are flagged. Without
// JavaScript the same checkboxes work as a plain form; the server checks the answers.
(function () {
  var scene = document.querySelector("fieldset.scene");
  if (!scene) return;
  var english = (document.documentElement.lang || "fr").indexOf("en") === 0;
  // The page keeps room for the counter, so filling it moves nothing (no layout shift).
  var counter = scene.querySelector(".compteur");
  scene.classList.add("scene-cliquable");
  var boxes = scene.querySelectorAll(".choix input[type=checkbox]");

  function refresh() {
    var flagged = 0;
    boxes.forEach(function (box) {
      box.closest(".choix").classList.toggle("reperee", box.checked);
      if (box.checked) flagged += 1;
    });
    if (counter) counter.textContent = english
      ? flagged + (flagged === 1 ? " situation flagged" : " situations flagged")
      : flagged + (flagged > 1 ? " situations repérées" : " situation repérée");
  }

  boxes.forEach(function (box) {
    var card = box.closest(".choix");
    card.addEventListener("click", function (event) {
      // The checkbox and its label already toggle; a click elsewhere on the card does too
      // (a link in the text keeps its own behaviour).
      if (event.target.closest("input, label, a")) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.addEventListener("change", refresh);
  });
  refresh();
})();
