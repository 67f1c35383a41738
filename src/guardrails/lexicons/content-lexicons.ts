// The built-in content classifier's lexicons: phrases per category, each with the confidence a hit implies.
// A text's confidence in a category is its strongest hit, raised one level when three or more different
// phrases of the category appear. Deterministic and deliberately small: enough for tests to trigger and
// not trigger each filter on purpose; for real classification, configure `guardrailJudge` (a served model).
import type { Confidence } from "../classifier/confidence.js";

export type LexiconCategory =
  | "HATE" | "INSULTS" | "SEXUAL" | "VIOLENCE" | "MISCONDUCT"
  | "JAILBREAK" | "PROMPT_INJECTION" | "PROMPT_LEAKAGE";

type Lexicon = Readonly<Partial<Record<Exclude<Confidence, "NONE">, readonly string[]>>>;

const words = (s: string) => s.split("|");

export const CONTENT_LEXICONS: Readonly<Record<LexiconCategory, Lexicon>> = {
  HATE: {
    HIGH: words("exterminate them all|they are subhuman|subhuman vermin|inferior race|racial purity|ethnic cleansing|gas the|white power|death to all"),
    MEDIUM: words("hate all|i hate all|go back to your country|those people are animals|master race|subhuman|vermin"),
    LOW: words("racist|bigot|bigoted|xenophobic|hate speech"),
  },
  INSULTS: {
    HIGH: words("you worthless piece of|piece of garbage|you are a waste of space|you disgusting"),
    MEDIUM: words("you idiot|you moron|you're an idiot|you are an idiot|you are stupid|you're stupid|shut up you|loser|dumbass|imbecile|pathetic excuse"),
    LOW: words("idiot|moron|stupid|dumb|fool|ugly|lame|jerk|clown"),
  },
  SEXUAL: {
    HIGH: words("explicit sex|sexual intercourse|have sex with|porn|pornography|pornographic|nude photos|naked pictures|genitals|orgasm|erotic story"),
    MEDIUM: words("sexy|seductive|naked|nude|lingerie|aroused|sexual"),
    LOW: words("kiss|flirt|romantic|date night"),
  },
  VIOLENCE: {
    HIGH: words("kill you|i will kill|going to kill|murder|massacre|behead|shoot them|stab him|stab her|blow up|mass shooting|torture"),
    MEDIUM: words("kill|attack|beat up|shoot|stab|assault|bomb|weapon|gun|bloodshed|violent"),
    LOW: words("fight|punch|hit him|hit her|hurt|wound|slap"),
  },
  MISCONDUCT: {
    HIGH: words("make a bomb|build a bomb|make meth|cook meth|synthesize drugs|launder money|money laundering|steal a car|hotwire a car|credit card fraud|buy illegal drugs|hire a hitman|make a weapon"),
    MEDIUM: words("how to hack|hack into|steal|shoplift|fraud|counterfeit|smuggle|bribe|evade taxes|tax evasion|phishing|malware|ransomware"),
    LOW: words("illegal|cheat|scam|pirate|piracy"),
  },
  JAILBREAK: {
    HIGH: words("do anything now|you are now dan|you are dan|developer mode enabled|jailbreak|jailbroken|no restrictions|without any restrictions|ignore your guidelines|ignore your rules|bypass your filters|pretend you have no rules|act as an unrestricted"),
    MEDIUM: words("pretend you are|pretend to be|roleplay as|you are no longer|from now on you are|stay in character|hypothetically speaking"),
  },
  PROMPT_INJECTION: {
    HIGH: words("ignore all previous instructions|ignore previous instructions|ignore the previous instructions|ignore all prior instructions|ignore the above|disregard all previous|disregard the above|disregard previous instructions|forget all previous instructions|forget your instructions|override your instructions|new instructions:"),
    MEDIUM: words("ignore the instructions|ignore your instructions|instead do the following|system override|admin override"),
  },
  PROMPT_LEAKAGE: {
    HIGH: words("reveal your system prompt|show me your system prompt|print your system prompt|what is your system prompt|repeat your instructions|print your instructions|reveal your instructions|output your initial prompt|what were you told"),
    MEDIUM: words("system prompt|your instructions|initial prompt|hidden instructions"),
  },
};
