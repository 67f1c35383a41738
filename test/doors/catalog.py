# boto3's `bedrock` client against Basalt's catalogue: prints what it got as JSON for the test to check.
import json, sys
import boto3
from botocore.config import Config

url = sys.argv[1]
c = boto3.client("bedrock", endpoint_url=url, region_name="us-east-1", aws_access_key_id="AKIDBASALTTEST",
                 aws_secret_access_key="basalt-test-secret", config=Config(retries={"max_attempts": 1}))
out = {
    "all": [m["modelId"] for m in c.list_foundation_models()["modelSummaries"]],
    "anthropic": [m["modelId"] for m in c.list_foundation_models(byProvider="anthropic")["modelSummaries"]],
    "embedding": [m["modelId"] for m in c.list_foundation_models(byOutputModality="EMBEDDING")["modelSummaries"]],
    "get": c.get_foundation_model(modelIdentifier="anthropic.claude-3-5-haiku-20241022-v1:0")["modelDetails"],
    "profiles": [p["inferenceProfileId"] for p in c.list_inference_profiles()["inferenceProfileSummaries"]],
    "profile": c.get_inference_profile(inferenceProfileIdentifier="eu.anthropic.claude-3-5-haiku-20241022-v1:0")["inferenceProfileId"],
}
out["customModels"] = c.list_custom_models()["modelSummaries"]
try:
    c.list_foundation_model_agreement_offers(modelId="anthropic.claude-3-5-haiku-20241022-v1:0")
    out["unplugged"] = "answered"
except c.exceptions.ClientError as e:
    out["unplugged"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]]
print(json.dumps(out))
