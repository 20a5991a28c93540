-- Greylisting of one triplet (PolicyStore.GreylistDecision says what each answer means).
-- KEYS[1]: the triplet, KEYS[2]: its client network's pass count.
-- ARGV: now, delay, window, autoAllow, remember (ms; now by the gateway's clock).
-- Decisions are made on the times stored in the values, by the gateway's clock; the keys' expiry (Redis's own
-- clock) only frees the memory.
-- The triplet's value is 'first:<ms>' until it passes, then 'passed:<ms of the last pass>'.
-- The network's value is '<passes>:<ms of the last pass>'.
local now = tonumber(ARGV[1])
local delay = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local autoAllow = tonumber(ARGV[4])
local remember = tonumber(ARGV[5])

local function passes()
  local value = redis.call('GET', KEYS[2])
  if not value then
    return 0
  end
  local count, last = string.match(value, '^(%d+):(%d+)$')
  if not count or now - tonumber(last) >= remember then
    return 0
  end
  return tonumber(count)
end

local function pass()
  -- the count is only ever read with auto-allow on: no key per network without it
  if autoAllow > 0 then
    redis.call('SET', KEYS[2], string.format('%d:%s', passes() + 1, ARGV[1]), 'PX', remember)
  end
end

if autoAllow > 0 and passes() >= autoAllow then
  return 'NETWORK_ALLOWED'
end

local value = redis.call('GET', KEYS[1])
local state, at
if value then
  state, at = string.match(value, '^(%a+):(%d+)$')
  at = tonumber(at)
end

if state == 'passed' and now - at < remember then
  redis.call('SET', KEYS[1], 'passed:' .. ARGV[1], 'PX', remember)
  pass()
  return 'KNOWN'
end
if state == 'first' and now - at < delay then
  return 'TOO_EARLY'
end
if state == 'first' and now - at <= window then
  redis.call('SET', KEYS[1], 'passed:' .. ARGV[1], 'PX', remember)
  pass()
  return 'RETRIED'
end
redis.call('SET', KEYS[1], 'first:' .. ARGV[1], 'PX', window)
return 'NEW'
