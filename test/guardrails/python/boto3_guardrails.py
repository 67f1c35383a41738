"""Guardrails through boto3 (bedrock + bedrock-runtime) against Basalt: prints one JSON object of results.
Usage: boto3_guardrails.py URL"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local",
          config=Config(retries={"max_attempts": 1}))
bedrock = boto3.client("bedrock", **kw)
runtime = boto3.client("bedrock-runtime", **kw)
out = {}


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None


created = bedrock.create_guardrail(
    name="boto3-guardrail",
    blockedInputMessaging="Blocked by boto3's guardrail.",
    blockedOutputsMessaging="Answer blocked by boto3's guardrail.",
    topicPolicyConfig={"topicsConfig": [{"name": "Investment advice", "definition": "Guidance on investing in stocks or crypto",
                                         "examples": ["Should I buy bitcoin?"], "type": "DENY"}]},
    contentPolicyConfig={"filtersConfig": [{"type": "INSULTS", "inputStrength": "HIGH", "outputStrength": "HIGH"}]},
    wordPolicyConfig={"wordsConfig": [{"text": "forbidden", "inputAction": "NONE"}], "managedWordListsConfig": [{"type": "PROFANITY"}]},
    sensitiveInformationPolicyConfig={"piiEntitiesConfig": [{"type": "EMAIL", "action": "ANONYMIZE"}],
                                      "regexesConfig": [{"name": "ticket", "pattern": "TKT-[0-9]{5}", "action": "ANONYMIZE"}]},
    contextualGroundingPolicyConfig={"filtersConfig": [{"type": "GROUNDING", "threshold": 0.5}]},
)
gid = created["guardrailId"]
out["create"] = {"status": created["ResponseMetadata"]["HTTPStatusCode"], "version": created["version"],
                 "arn": created["guardrailArn"], "id": gid}
version = bedrock.create_guardrail_version(guardrailIdentifier=gid, description="v1")
out["version"] = version["version"]
bedrock.update_guardrail(guardrailIdentifier=gid, name="boto3-guardrail", blockedInputMessaging="Blocked by boto3's guardrail.",
                         blockedOutputsMessaging="Answer blocked.", wordPolicyConfig={"wordsConfig": [{"text": "verboten"}]})
draft = bedrock.get_guardrail(guardrailIdentifier=gid)
v1 = bedrock.get_guardrail(guardrailIdentifier=gid, guardrailVersion="1")
out["get"] = {"draftWords": [w["text"] for w in draft["wordPolicy"]["words"]], "draftTopics": "topicPolicy" in draft,
              "v1Words": [w["text"] for w in v1["wordPolicy"]["words"]], "v1Status": v1["status"],
              "createdAtIsDate": hasattr(v1["createdAt"], "year")}
out["list"] = [g["version"] for g in bedrock.list_guardrails(guardrailIdentifier=gid)["guardrails"]]

applied = runtime.apply_guardrail(guardrailIdentifier=gid, guardrailVersion="1", source="INPUT",
                                  content=[{"text": {"text": "mail a@b.io about TKT-12345"}}])
out["applyMasked"] = {"action": applied["action"], "reason": applied["actionReason"], "outputs": applied["outputs"],
                      "pii": applied["assessments"][0]["sensitiveInformationPolicy"]}
blocked = runtime.apply_guardrail(guardrailIdentifier=gid, guardrailVersion="1", source="INPUT",
                                  content=[{"text": {"text": "Should I buy bitcoin, you idiot?"}}])
out["applyBlocked"] = {"action": blocked["action"], "outputs": blocked["outputs"],
                       "topics": blocked["assessments"][0]["topicPolicy"]["topics"],
                       "filters": blocked["assessments"][0]["contentPolicy"]["filters"]}
grounded = runtime.apply_guardrail(guardrailIdentifier=gid, guardrailVersion="1", source="OUTPUT", content=[
    {"text": {"text": "Oslo is the capital of Norway.", "qualifiers": ["grounding_source"]}},
    {"text": {"text": "Bergen is the capital of Sweden."}}])
out["applyGrounding"] = {"action": grounded["action"], "filters": grounded["assessments"][0]["contextualGroundingPolicy"]["filters"]}

conv = runtime.converse(modelId="basalt.echo", messages=[{"role": "user", "content": [{"text": "Should I buy bitcoin?"}]}],
                        guardrailConfig={"guardrailIdentifier": gid, "guardrailVersion": "1", "trace": "enabled"})
out["converseBlocked"] = {"text": conv["output"]["message"]["content"][0]["text"], "stop": conv["stopReason"],
                          "traceTopics": conv["trace"]["guardrail"]["inputAssessment"][gid]["topicPolicy"]["topics"]}
masked = runtime.converse(modelId="basalt.echo", messages=[{"role": "user", "content": [{"text": "echo a@b.io"}]}],
                          guardrailConfig={"guardrailIdentifier": gid, "guardrailVersion": "1"})
out["converseMasked"] = {"text": masked["output"]["message"]["content"][0]["text"], "stop": masked["stopReason"]}
stream = runtime.converse_stream(modelId="basalt.echo", messages=[{"role": "user", "content": [{"text": "say forbidden words"}]}],
                                 guardrailConfig={"guardrailIdentifier": gid, "guardrailVersion": "1", "trace": "enabled",
                                                  "streamProcessingMode": "sync"})
events = list(stream["stream"])
out["stream"] = {"text": "".join(e["contentBlockDelta"]["delta"].get("text", "") for e in events if "contentBlockDelta" in e),
                 "stop": next(e["messageStop"]["stopReason"] for e in events if "messageStop" in e),
                 "traced": "guardrail" in next(e["metadata"] for e in events if "metadata" in e).get("trace", {})}
invoked = runtime.invoke_model(modelId="basalt.echo", body=json.dumps({"inputText": "Should I buy bitcoin?"}),
                               guardrailIdentifier=gid, guardrailVersion="1", trace="ENABLED")
body = json.loads(invoked["body"].read())
out["invoke"] = {"action": body["amazon-bedrock-guardrailAction"], "traced": gid in body["amazon-bedrock-trace"]["guardrail"]["input"]}

out["errors"] = {
    "apply": error_of(lambda: runtime.apply_guardrail(guardrailIdentifier="nosuchguardrail", guardrailVersion="DRAFT", source="INPUT",
                                                      content=[{"text": {"text": "x"}}])),
    "converse": error_of(lambda: runtime.converse(modelId="basalt.echo", messages=[{"role": "user", "content": [{"text": "x"}]}],
                                                  guardrailConfig={"guardrailIdentifier": "nosuchguardrail", "guardrailVersion": "DRAFT"})),
    "get": error_of(lambda: bedrock.get_guardrail(guardrailIdentifier="nosuchguardrail")),
}
bedrock.delete_guardrail(guardrailIdentifier=gid)
out["deleted"] = error_of(lambda: bedrock.get_guardrail(guardrailIdentifier=gid))["code"]
print(json.dumps(out))
