"""The baseline: a bare Flask endpoint returning constant JSON, served like the real app."""

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue

app = Flask(__name__)
BODY = {"status": "ok", "visits": []}


@app.get("/bare")
def bare() -> ResponseReturnValue:
    return jsonify(BODY)
