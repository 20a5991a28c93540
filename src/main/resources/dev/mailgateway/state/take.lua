-- One event for a sliding-window rate limit (RateWindow.java has the same arithmetic, for the memory store).
-- KEYS[1]: the counter of the current fixed window, KEYS[2]: the previous window's.
-- ARGV: limit, window (ms), elapsed (ms into the current window, by the gateway's clock).
-- The event is counted only when the estimate with it stays within the limit: a refused client recovers.
-- Returns {1 allowed | 0 refused, the estimate rounded up (with the event when allowed)}.
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
-- the estimate times the window: exact integers, so "exactly the limit" does not depend on rounding
local weighted = previous * (window - elapsed) + current * window
if weighted + window <= limit * window then
  redis.call('INCR', KEYS[1])
  -- the counter is read until the end of the next window
  redis.call('PEXPIRE', KEYS[1], 2 * window)
  return {1, math.ceil((weighted + window) / window)}
end
return {0, math.ceil(weighted / window)}
