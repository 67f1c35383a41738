// Sliding-window admission as one Lua script, so a check and its record are one atomic step on the Redis
// server: two Basalt nodes never both see room for the last slot. Time is the server's (TIME), so nodes
// with skewed clocks still share one window.
//
// KEYS[1]: sorted set of "<seq>:<cost>" members scored by time (ms).
// KEYS[2]: hash { sum = costs currently in the set, seq = member counter }.
// ARGV: cost, limit (negative = charge without a limit), windowMs.
// Returns { admitted (1|0), used (string), retryAfterMs (string; -1 = none) }. Numbers go back as strings
// because Redis truncates Lua numbers to integers.

export const WINDOW_SCRIPT = `
local cost = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function costOf(member) return tonumber(string.match(member, ':(.+)$')) end

local sum = tonumber(redis.call('HGET', KEYS[2], 'sum') or '0')
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
for i = 1, #expired do sum = sum - costOf(expired[i]) end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window) end
if redis.call('ZCARD', KEYS[1]) == 0 then sum = 0 end

if limit >= 0 and sum + cost > limit then
  local retry = -1
  if cost <= limit then
    local excess = sum + cost - limit
    local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
    for i = 1, #entries, 2 do
      excess = excess - costOf(entries[i])
      if excess <= 0 then retry = tonumber(entries[i + 1]) + window - now break end
    end
  end
  if #expired > 0 then redis.call('HSET', KEYS[2], 'sum', tostring(sum)) end
  return { 0, tostring(sum), tostring(retry) }
end

if cost > 0 then
  local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
  redis.call('ZADD', KEYS[1], now, seq .. ':' .. ARGV[1])
  sum = sum + cost
end
if cost > 0 or #expired > 0 then
  redis.call('HSET', KEYS[2], 'sum', tostring(sum))
  redis.call('PEXPIRE', KEYS[1], window)
  redis.call('PEXPIRE', KEYS[2], window)
end
return { 1, tostring(sum), '-1' }
`;
