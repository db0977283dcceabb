#!/usr/bin/env python3
"""Black-box check of the box's local LRS (`/xapi/`) with TinCanPython (`pip install tincan`), as an
activity provider on the LAN would use it: every RemoteLRS method, each result asserted.

TinCanPython 1.0.0 has no method for GET /activities nor GET /agents (retrieve_activity,
retrieve_person are in other TinCan libraries); those, multipart attachments and the memory
behaviour are checked with `requests`, which form-encodes parameters the same way (`+` for a
space). Nothing is installed here: tincan and requests must already be there.

Prints `ok N - …` / `not ok N - …` per check and `# done` last; exit 1 when a check failed.
Environment: RELAIS_BIN (default .build/debug/relais).
"""
import datetime
import hashlib
import json
import sys
import uuid

import requests
from tincan import (
    Activity, ActivityDefinition, ActivityProfileDocument, Agent, AgentAccount, AgentProfileDocument, Context, ContextActivities,
    LanguageMap, RemoteLRS, StateDocument, Statement, StatementRef, Verb,
)

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from box import Box, Checks  # noqa: E402

check = Checks()
VERSION = "1.0.3"


def main():
    box = Box()
    try:
        lrs = RemoteLRS(endpoint=box.endpoint, version=VERSION, username=box.key, password=box.secret)
        session = requests.Session()
        session.auth = (box.key, box.secret)
        session.headers["X-Experience-API-Version"] = VERSION
        check.run("the tincan suite ran to its end", lambda: tincan_suite(lrs, box))
        check.run("the requests suite ran to its end", lambda: requests_suite(session, box))
    finally:
        box.close()
    print("# done", flush=True)
    return 1 if check.failures else 0


def agent(name="Léa Martin"):
    # An account like the box's own pseudonyms, with a space: json.dumps writes ": " and ", ", so
    # every query naming this agent carries `+`.
    return Agent(name=name, account=AgentAccount(home_page="https://relais.invalid/0750654D", name="guest 42"))


ACTIVITY = Activity(
    id="https://relais.invalid/b/calcul-mental/1",
    definition=ActivityDefinition(name=LanguageMap({"fr-FR": "Calcul mental", "en-US": "Mental maths"}),
                                  type="http://adlnet.gov/expapi/activities/lesson"))
COURSE = Activity(id="https://relais.invalid/b/calcul-mental")
COMPLETED = Verb(id="http://adlnet.gov/expapi/verbs/completed", display=LanguageMap({"fr-FR": "a terminé", "en-US": "completed"}))
ATTEMPTED = Verb(id="http://adlnet.gov/expapi/verbs/attempted", display=LanguageMap({"en-US": "attempted"}))
VOIDED = Verb(id="http://adlnet.gov/expapi/verbs/voided", display=LanguageMap({"en-US": "voided"}))


def statement(verb=COMPLETED, id=None):
    s = Statement(actor=agent(), verb=verb, object=ACTIVITY,
                  context=Context(context_activities=ContextActivities(parent=[COURSE])))
    if id:
        s.id = id
    return s


def document(answer):
    """(status, body bytes) of a tincan retrieve_* document answer (404 included: ignore404)."""
    content = answer.content.content if answer.success and answer.response.status == 200 else answer.data
    return answer.response.status, bytes(content, "utf-8") if isinstance(content, str) else bytes(content)


def tincan_suite(lrs, box):
    # about
    about = lrs.about()
    check(about.success and VERSION in about.content.version, "about: the LRS speaks 1.0.3", about.data)

    # save_statement without id (POST) and with one (PUT)
    posted = lrs.save_statement(statement())
    check(posted.success and posted.content.id, "save_statement without an id: POSTed, the LRS gives the id", posted.data)
    put_id = str(uuid.uuid4())
    put = lrs.save_statement(statement(ATTEMPTED, put_id))
    check(put.success and str(put.content.id) == put_id, "save_statement with an id: PUT, 204", put.data)
    again = lrs.save_statement(statement(ATTEMPTED, put_id))
    check(again.success, "save_statement again with the same id and content: still a success", again.data)

    # save_statements
    batch = lrs.save_statements([statement(), statement(ATTEMPTED), statement()])
    check(batch.success and all(s.id for s in batch.content), "save_statements: a batch of 3, ids set on each", batch.data)

    # retrieve_statement
    got = lrs.retrieve_statement(put_id)
    check(got.success and str(got.content.id) == put_id and got.content.verb.id == ATTEMPTED.id
          and got.content.actor.account.name == "guest 42", "retrieve_statement: the PUT statement, actor and verb as sent", got.data)

    # query_statements naming the agent (the `+` of item 1), verb, activity, limit, then more
    query = lrs.query_statements({"agent": agent(), "verb": COMPLETED, "activity": ACTIVITY, "limit": 2})
    check(query.success and len(query.content.statements) == 2 and query.content.more,
          "query_statements by agent, verb, activity and limit=2: 2 statements and a more link", query.data)
    if query.success and query.content.more:
        more = lrs.more_statements(query.content)
        check(more.success and len(more.content.statements) == 1 and not more.content.more,
              "more_statements: the third completed statement, no further page", more.data)
    since = lrs.query_statements({"agent": agent(), "since": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                                  "ascending": True, "limit": 1})
    check(since.success and len(since.content.statements) == 1 and since.content.statements[0].id == posted.content.id,
          "query_statements with since (a datetime) and ascending=True: the oldest statement first", since.data)
    related = lrs.query_statements({"activity": COURSE, "related_activities": True})
    plain = lrs.query_statements({"activity": COURSE})
    check(related.success and len(related.content.statements) == 5 and plain.success and len(plain.content.statements) == 0,
          "query_statements related_activities=True finds the parent course's 5 statements (0 without)", related.data)
    ids = lrs.query_statements({"format": "ids", "limit": 1})
    check(ids.success and ids.content.statements[0].actor.name is None and ids.content.statements[0].actor.account.name == "guest 42",
          "query_statements format=ids: the actor without its name", ids.data)

    # voiding, retrieve_voided_statement
    void = lrs.save_statement(Statement(actor=agent(), verb=VOIDED, object=StatementRef(id=put_id)))
    voided = lrs.retrieve_voided_statement(put_id)
    hidden = lrs.retrieve_statement(put_id)
    check(void.success and voided.success and str(voided.content.id) == put_id and not hidden.success and hidden.response.status == 404,
          "retrieve_voided_statement: the voided statement; retrieve_statement: 404", voided.data)

    # State: save, retrieve, ids, delete, clear
    registration = str(uuid.uuid4())
    state = StateDocument(activity=ACTIVITY, agent=agent(), id="progress", content=json.dumps({"page": 3}), content_type="application/json")
    saved = lrs.save_state(state)
    check(saved.success, "save_state: 204", saved.data)
    status, content = document(lrs.retrieve_state(ACTIVITY, agent(), "progress"))
    check(status == 200 and json.loads(content) == {"page": 3}, "retrieve_state: the document as saved", content)
    lrs.save_state(StateDocument(activity=ACTIVITY, agent=agent(), id="bookmark", content="p3", content_type="text/plain"))
    state_ids = lrs.retrieve_state_ids(ACTIVITY, agent())
    check(state_ids.success and sorted(state_ids.content) == ["bookmark", "progress"], "retrieve_state_ids: both ids", state_ids.data)
    recent = lrs.retrieve_state_ids(ACTIVITY, agent(), since="2999-01-01T00:00:00Z")
    check(recent.success and recent.content == [], "retrieve_state_ids since a future date: none", recent.data)
    deleted = lrs.delete_state(state)
    status, content = document(lrs.retrieve_state(ACTIVITY, agent(), "progress"))
    check(deleted.success and status == 404, "delete_state: 204, then retrieve_state is a 404", content)
    registered = lrs.retrieve_state_ids(ACTIVITY, agent(), registration=registration)
    check(registered.success and registered.content == [], "retrieve_state_ids of another registration: none", registered.data)
    cleared = lrs.clear_state(ACTIVITY, agent())
    after = lrs.retrieve_state_ids(ACTIVITY, agent())
    check(cleared.success and after.success and after.content == [], "clear_state: every state of the activity and agent gone", after.data)

    # Activity profile: save, retrieve, ids, delete
    profile = ActivityProfileDocument(activity=ACTIVITY, id="levels", content=json.dumps({"levels": [1, 2]}), content_type="application/json")
    saved = lrs.save_activity_profile(profile)
    check(saved.success, "save_activity_profile: 204", saved.data)
    status, content = document(lrs.retrieve_activity_profile(ACTIVITY, "levels"))
    check(status == 200 and json.loads(content) == {"levels": [1, 2]}, "retrieve_activity_profile: the document as saved", content)
    listed = lrs.retrieve_activity_profile_ids(ACTIVITY)
    check(listed.success and listed.content == ["levels"], "retrieve_activity_profile_ids: the id", listed.data)
    deleted = lrs.delete_activity_profile(profile)
    after = lrs.retrieve_activity_profile_ids(ACTIVITY)
    check(deleted.success and after.success and after.content == [], "delete_activity_profile: gone from the ids", after.data)

    # Agent profile: save, retrieve, ids, delete
    profile = AgentProfileDocument(agent=agent(), id="preferences", content=json.dumps({"lang": "fr"}), content_type="application/json")
    saved = lrs.save_agent_profile(profile)
    check(saved.success, "save_agent_profile: 204", saved.data)
    status, content = document(lrs.retrieve_agent_profile(agent(), "preferences"))
    check(status == 200 and json.loads(content) == {"lang": "fr"}, "retrieve_agent_profile: the document as saved", content)
    listed = lrs.retrieve_agent_profile_ids(agent())
    check(listed.success and listed.content == ["preferences"], "retrieve_agent_profile_ids: the id", listed.data)
    deleted = lrs.delete_agent_profile(profile)
    after = lrs.retrieve_agent_profile_ids(agent())
    check(deleted.success and after.success and after.content == [], "delete_agent_profile: gone from the ids", after.data)


def requests_suite(session, box):
    base = box.endpoint
    agent_json = agent().to_json(VERSION)

    # GET /activities (retrieve_activity in other TinCan libraries)
    r = session.get(base + "activities", params={"activityId": ACTIVITY.id})
    body = r.json() if r.ok else {}
    check(r.status_code == 200 and body.get("id") == ACTIVITY.id
          and body.get("definition", {}).get("name") == {"fr-FR": "Calcul mental", "en-US": "Mental maths"},
          "GET activities: the Activity with the definition statements gave it", r.text)

    # GET /agents (retrieve_person)
    r = session.get(base + "agents", params={"agent": agent_json})
    body = r.json() if r.ok else {}
    check(r.status_code == 200 and body.get("objectType") == "Person" and body.get("name") == ["Léa Martin"]
          and body.get("account") == [{"homePage": "https://relais.invalid/0750654D", "name": "guest 42"}],
          "GET agents: the Person object (names and accounts as lists)", r.text)

    # The same query with %20 and with + reads the same.
    plus = session.get(base + "statements", params={"agent": agent_json, "limit": 1})
    percent = session.get(base + "statements?agent=" + requests.utils.quote(agent_json, safe="") + "&limit=1")
    check(plus.status_code == 200 and percent.status_code == 200 and plus.json()["statements"] == percent.json()["statements"],
          "statements?agent= with + and with %20 for spaces: the same answer", plus.text[:200])

    # format=canonical and Accept-Language
    r = session.get(base + "statements", params={"format": "canonical", "verb": COMPLETED.id, "limit": 1},
                    headers={"Accept-Language": "en-US"})
    first = r.json()["statements"][0] if r.ok else {}
    check(r.status_code == 200 and first.get("verb", {}).get("display") == {"en-US": "completed"}
          and first.get("object", {}).get("definition", {}).get("name") == {"en-US": "Mental maths"},
          "statements format=canonical, Accept-Language en-US: one language per map", r.text[:300])

    # multipart/mixed with an attachment, then attachments=true
    content = "Bonjour, ceci est une pièce jointe.".encode()
    sha2 = hashlib.sha256(content).hexdigest()
    statement_id = str(uuid.uuid4())
    document = {"id": statement_id, "actor": {"mbox": "mailto:eleve@example.fr"}, "verb": {"id": COMPLETED.id},
                "object": {"id": ACTIVITY.id},
                "attachments": [{"usageType": "http://id.tincanapi.com/attachment/supporting_media", "display": {"fr-FR": "note"},
                                 "contentType": "text/plain", "length": len(content), "sha2": sha2}]}
    boundary = "relais-test-boundary"
    body = (f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(document)}\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n").encode() \
        + content + f"\r\n--{boundary}--\r\n".encode()
    r = session.post(base + "statements", data=body, headers={"Content-Type": f"multipart/mixed; boundary={boundary}"})
    check(r.status_code == 200 and r.json() == [statement_id], "POST multipart/mixed with an attachment part: stored", r.text)
    r = session.get(base + "statements", params={"statementId": statement_id, "attachments": "true"})
    check(r.status_code == 200 and r.headers.get("Content-Type", "").startswith("multipart/mixed") and content in r.content
          and sha2.encode() in r.content, "GET attachments=true: multipart/mixed with the attachment's bytes", r.headers.get("Content-Type"))
    r = session.post(base + "statements", json=dict(document, id=str(uuid.uuid4())))
    check(r.status_code == 400 and "multipart/mixed" in r.text, "an attachment without fileUrl nor part: 400 saying to send multipart", r.text)


if __name__ == "__main__":
    sys.exit(main())
