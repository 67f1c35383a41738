"""Drives an auth-enabled Basalt with boto3 (HTTP/1.1): the configured keys pass, each refusal is the named
error. argv: url, short-term token, expired short-term token. Prints one JSON object."""
import json
import os
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

url, short_term, expired = sys.argv[1], sys.argv[2], sys.argv[3]
msgs = [{"role": "user", "content": [{"text": "hello from boto3"}]}]
out = {}


def client(key_id=None, secret=None, token=None, signed=True):
    """A client; with `token`, AWS_BEARER_TOKEN_BEDROCK stays set (botocore may read it per request)."""
    os.environ.pop("AWS_BEARER_TOKEN_BEDROCK", None)
    if token is not None:
        os.environ["AWS_BEARER_TOKEN_BEDROCK"] = token
    cfg = Config(retries={"total_max_attempts": 1}, **({} if signed else {"signature_version": UNSIGNED}))
    kwargs = {"aws_access_key_id": key_id, "aws_secret_access_key": secret} if key_id else {}
    return boto3.client("bedrock-runtime", endpoint_url=url, region_name="eu-west-1", config=cfg, **kwargs)


def refusal(fn):
    try:
        fn()
        return "passed"
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}


def works(c):
    r = c.converse(modelId="basalt.echo", messages=msgs)
    text = r["output"]["message"]["content"][0]["text"]
    stream = [list(e.keys())[0] for e in c.converse_stream(modelId="basalt.echo", messages=msgs)["stream"]]
    body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": [{"role": "user", "content": "hi there"}]})
    invoked = json.loads(c.invoke_model(modelId="anthropic.claude-echo", body=body)["body"].read())["content"][0]["text"]
    count = c.count_tokens(modelId="basalt.echo", input={"converse": {"messages": msgs}})["inputTokens"]
    return {"converse": text, "stream": stream[-1], "invoke": invoked, "count": count}


out["bearer"] = works(client(token="ABSK-ci-key-for-the-tests-0123456789"))
out["shortTerm"] = works(client(token=short_term))
out["badApiKey"] = refusal(lambda: client(token="ABSK-not-a-key-we-know-000000").converse(modelId="basalt.echo", messages=msgs))
out["expired"] = refusal(lambda: client(token=expired).converse(modelId="basalt.echo", messages=msgs))
team_a = client("AKIDBASALTTEST", "basalt-test-secret")
out["sigv4"] = works(team_a)

out["unsigned"] = refusal(lambda: client(signed=False).converse(modelId="basalt.echo", messages=msgs))
out["unknownKey"] = refusal(lambda: client("AKIDNOBODYHERE", "basalt-test-secret").converse(modelId="basalt.echo", messages=msgs))
out["wrongSecret"] = refusal(lambda: client("AKIDBASALTTEST", "not-the-secret").converse(modelId="basalt.echo", messages=msgs))
out["notAllowed"] = refusal(lambda: team_a.converse(modelId="other.echo", messages=msgs))
print(json.dumps(out))
