// The PROFANITY managed word list Basalt ships: common English profanity and its usual inflections, matched
// like custom words (case-insensitive, whole words). Bedrock's own list is not published; this one is
// deliberately plain so that a test can name a word it knows is on it ("damn", "shit", "fuck").
export const PROFANITY: readonly string[] = [
  ...(
    "arse arsehole ass asses asshat asshole assholes bastard bastards bitch bitches bitching bitchy bloody " +
    "bollocks bullshit bullshitting chickenshit cock cocks cocksucker crap crappy cunt cunts damn damned damnit " +
    "dammit dick dickhead dicks dipshit douche douchebag dumbass fag faggot fags fatass frigging fuck fucked " +
    "fucker fuckers fuckhead fucking fuckin fucks fuckwit goddamn goddamned goddammit hell horseshit jackass " +
    "jerkoff motherfucker motherfuckers motherfucking nigga nigger niggers piss pissed pisser pissing prick " +
    "pricks pussy pussies screw screwed shit shite shithead shitheads shits shitted shitting shitty slut sluts " +
    "slutty tit tits titty twat twats wank wanker wankers whore whores"
  ).split(" "),
  "son of a bitch",
];
