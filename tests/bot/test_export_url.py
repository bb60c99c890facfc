"""A URL export as a deployment lives with it: only an export that read well becomes the
copy on disk, a new process serves that copy when the URL is down (saying how old it is),
and `serve` answers at once while a slow first download runs in the background."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
import requests
from support.export_host import Reply, Server
from support.fake_slack import FakeSlack
from support.faults import Bot, bot_env, bots, free_port, run_cli, write_config
from support.slack_harness import ADMIN, SECRET, add_people, make_runtime, shown
from support.slack_requests import post_command

from bot.tools.demo import demo_export_dir

NOT_AN_EXPORT = b"Id,Name\n1,not an opportunity export\n"


def demo_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(demo_export_dir().glob("*.csv")):
            zf.writestr(path.name, path.read_bytes())
    return buf.getvalue()


def test_a_new_process_serves_the_kept_copy_while_the_url_is_down(
    server: Server, tmp_path: Path
) -> None:
    """Process 1 reads the export. Then the export host sends something that is not an
    export (rejected, and it does not replace the copy on disk), and then goes down.
    Process 2 serves process 1's copy, and the admins are told why and how old it is."""
    server.routes["/export"] = [Reply(body=demo_zip()), Reply(body=NOT_AN_EXPORT)]
    url = f"{server.base}/export"
    with FakeSlack() as fake:
        add_people(fake)
        first = make_runtime(tmp_path, fake, source=url)
        good = first.deps.snapshots.current
        assert good is not None and good.pipeline.deals
        assert first.refresh(force=True) is True  # the bad download: rejected, still serving
        assert "Opportunity" in first.deps.snapshots.last_error
        first.close()
        server.routes["/export"] = [Reply(503, b"down")]
        fake.reset()
        add_people(fake)
        second = make_runtime(tmp_path, fake, source=url)
        try:
            snap = second.deps.snapshots.current
            assert snap is not None
            assert [d.id for d in snap.pipeline.deals] == [d.id for d in good.pipeline.deals]
            error = second.deps.snapshots.last_error
            assert "HTTP 503" in error and "downloaded less than an hour ago" in error
            (alert,) = fake.calls_to("chat.postMessage")
            assert alert.params["channel"] == ADMIN and "less than an hour ago" in shown(alert)
        finally:
            second.close()


@pytest.mark.slow  # the real CLI in subprocesses (see pyproject's markers)
def test_nudge_with_the_url_down_uses_the_kept_copy(server: Server, tmp_path: Path) -> None:
    """`dealnudge nudge --dry-run` in a new process: exit 0 on the kept copy, not exit 2."""
    server.routes["/export"] = [Reply(body=demo_zip())]
    url = f"{server.base}/export"
    with FakeSlack() as fake:
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=False),
                      DEALNUDGE_SOURCE=url, DEALNUDGE_DB=str(tmp_path / "state.json"))  # fmt: skip
        assert run_cli(["nudge", "--dry-run"], env).returncode == 0
        server.routes["/export"] = [Reply(503, b"down")]
        down = run_cli(["nudge", "--dry-run"], env)
        assert down.returncode == 0, down.stdout + down.stderr


@pytest.mark.slow  # the real CLI in subprocesses (see pyproject's markers)
def test_serve_answers_at_once_while_a_stalled_first_download_runs(
    server: Server, tmp_path: Path
) -> None:
    """The export host drips its body: `serve` binds its port within 2 s, /healthz says
    "loading" (503), /deal asks to try again in a minute, and when the download deadline
    passes the admins are told; SIGTERM still stops it at once."""
    server.routes["/export"] = [Reply(body=demo_zip(), drip=0.2)]
    port = free_port()
    with FakeSlack() as fake, bots() as running:
        add_people(fake)
        env = bot_env(
            fake, write_config(tmp_path / "dealnudge.toml", nudges_due=False),
            DEALNUDGE_SOURCE=f"{server.base}/export", DEALNUDGE_SOURCE_DEADLINE="4",
            DEALNUDGE_DB=str(tmp_path / "state.json"), PORT=str(port),
        )  # fmt: skip
        started = time.monotonic()
        serve = Bot(["serve", "--http"], env, tmp_path / "serve.log")
        running.append(serve)
        health = _wait_for_health(port, serve)
        up = time.monotonic() - started
        assert up < 10, up  # the interpreter's start; the download is not waited for
        assert health.status_code == 503 and health.json()["loading"] is True
        reply = post_command(f"http://127.0.0.1:{port}/slack/events", SECRET, text="acme",
                             response_url=fake.response_url("deal"))  # fmt: skip
        assert reply.status_code == 200
        assert "try again in a minute" in _said(fake, reply)
        (alert,) = fake.wait_for("chat.postMessage", timeout=15)
        assert alert.params["channel"] == ADMIN
        assert "did not finish within 4 s" in shown(alert)
        after = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
        assert after["loading"] is False and "within 4 s" in after["last_error"]
        code, seconds = serve.terminate()
        assert code == 0 and seconds < 9, serve.output()


def _wait_for_health(port: int, serve: Bot) -> requests.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except requests.RequestException:
            assert serve.proc.poll() is None, serve.output()
            if time.monotonic() > deadline:
                pytest.fail(f"serve did not bind its port:\n{serve.output()}")
            time.sleep(0.05)


def _said(fake: FakeSlack, reply: requests.Response) -> str:
    """The text of a /deal answer, in the HTTP 200 or posted to its response_url."""
    if reply.content:
        return str(reply.json().get("text", ""))
    (posted,) = fake.wait_for("response_url", where=lambda c: c.path.endswith("/deal"))
    return str(posted.params.get("text", ""))


@pytest.mark.slow  # the real CLI in subprocesses (see pyproject's markers)
def test_serve_starts_when_slack_is_out_of_reach_and_refuses_a_bad_token_in_one_line(
    tmp_path: Path,
) -> None:
    """Slack's Web API down at start: `serve` binds, loads and warns (the token is checked
    on the first request). A token Slack refuses: exit 2 with one line, no traceback."""
    port = free_port()
    with FakeSlack() as fake, bots() as running:
        env = bot_env(fake, write_config(tmp_path / "dealnudge.toml", nudges_due=False),
                      DEALNUDGE_DB=str(tmp_path / "state.json"), PORT=str(port),
                      SLACK_API_URL=f"http://127.0.0.1:{free_port()}/")  # fmt: skip
        serve = Bot(["serve", "--http"], env, tmp_path / "serve.log")
        running.append(serve)
        serve.wait_healthy(port)
        code, _ = serve.terminate()
        assert code == 0 and "checked on the first request" in serve.output()
        assert "Traceback" not in serve.output()
        fake.fail_next("auth.test", status=200, error="invalid_auth")
        refused = run_cli(["serve", "--http"], env | {"SLACK_API_URL": fake.url})
        assert refused.returncode == 2, refused.stdout + refused.stderr
        said = refused.stdout + refused.stderr
        assert "Slack refused SLACK_BOT_TOKEN" in said and "Traceback" not in said
