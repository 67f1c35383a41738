# boto3 against Basalt's echo model: the response members issue 19 added, as botocore parses them.
# Prints one JSON object.
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url = sys.argv[1]
client = boto3.client(
    "bedrock-runtime", endpoint_url=url, region_name="us-east-1",
    aws_access_key_id="AKIDBASALTTEST", aws_secret_access_key="basalt-test-secret",
    config=Config(retries={"max_attempts": 1}),
)
model = "apac.basalt.echo"
user = lambda text: {"role": "user", "content": [{"text": text}]}

cached = {"system": [{"text": "a b c d"}, {"cachePoint": {"type": "default"}}]}
first = client.converse(modelId=model, messages=[user("q")], **cached)
second = client.converse(modelId=model, messages=[user("q r")], **cached)

options = client.converse(
    modelId=model, messages=[user("hi")],
    performanceConfig={"latency": "optimized"}, serviceTier={"type": "flex"},
    additionalModelResponseFieldPaths=["/stopReason"],
)

thinking = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
reasoned = client.converse(modelId=model, messages=[user("why")], additionalModelRequestFields=thinking)
content = reasoned["output"]["message"]["content"]
back = client.converse(
    modelId=model, additionalModelRequestFields=thinking,
    messages=[user("why"), {"role": "assistant", "content": content}, user("again")],
)
tampered = [{"reasoningContent": {"reasoningText": {"text": "changed", "signature": content[0]["reasoningContent"]["reasoningText"]["signature"]}}}, content[1]]
try:
    client.converse(modelId=model, messages=[user("why"), {"role": "assistant", "content": tampered}, user("again")])
    refused = ["accepted", ""]
except ClientError as e:
    refused = [e.response["Error"]["Code"], e.response["Error"]["Message"]]

structured = client.converse(
    modelId=model, messages=[user("alpha beta")],
    outputConfig={"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"name": "r", "schema": json.dumps(
        {"type": "object", "additionalProperties": False, "required": ["a", "b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}})}}}},
)

print(json.dumps({
    "firstUsage": first["usage"], "secondUsage": second["usage"],
    "performanceConfig": options.get("performanceConfig"), "serviceTier": options.get("serviceTier"),
    "fields": options.get("additionalModelResponseFields"),
    "reasoningText": content[0]["reasoningContent"]["reasoningText"]["text"],
    "signatureBytes": len(content[0]["reasoningContent"]["reasoningText"]["signature"]),
    "backText": back["output"]["message"]["content"][1]["text"],
    "refused": refused,
    "structured": json.loads(structured["output"]["message"]["content"][0]["text"]),
}))
