// Test helper: reads one JSON request per line, answers with quiz-scoring.js's result.
// {"question": key, "response": r} -> scoreQuestion; {"quiz": key, "responses": {...}} -> scoreQuiz.
"use strict";
const path = require("path");
const readline = require("readline");
const scoring = require(path.join(process.argv[2], "quiz-scoring.js"));

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  let result;
  if (request.quiz) {
    const r = scoring.scoreQuiz(request.quiz, request.responses);
    result = { score: r.score, max: r.max, scaled: r.scaled, passed: r.passed };
  } else {
    result = { score: scoring.scoreQuestion(request.question, request.response).score };
  }
  process.stdout.write(JSON.stringify(result) + "\n");
});
