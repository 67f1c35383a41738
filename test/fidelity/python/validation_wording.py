# boto3 against Basalt with client-side parameter validation off, so that the server judges each request.
# Prints {case: [error code, message]} as JSON.
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url = sys.argv[1]
client = boto3.client(
    "bedrock-runtime", endpoint_url=url, region_name="us-east-1",
    aws_access_key_id="AKIDBASALTTEST", aws_secret_access_key="basalt-test-secret",
    config=Config(parameter_validation=False, retries={"max_attempts": 1}),
)
hi = [{"role": "user", "content": [{"text": "hi"}]}]


def refusal(**kwargs):
    try:
        client.converse(**kwargs)
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["Error"].get("Message", "")]
    return ["accepted", ""]


print(json.dumps({
    "temperature": refusal(modelId="basalt.echo", messages=hi, inferenceConfig={"temperature": 1.5}),
    "maxTokensType": refusal(modelId="basalt.echo", messages=hi, inferenceConfig={"maxTokens": "5"}),
    "badModel": refusal(modelId="bad id!", messages=hi),
}))
