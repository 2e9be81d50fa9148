using System.Globalization;
using TypedSpool.Diagnostics;
using TypedSpool.Execution;
using TypedSpool.Format;
using TypedSpool.Storage;

namespace TypedSpool;

/// <summary>SpoolWorker: what happens to a file after a failed or repeating run.</summary>
public sealed partial class SpoolWorker
{
    /// <summary>Reschedules a failed run, or dead-letters it after its last attempt; true when rescheduled.</summary>
    private bool RetryOrDeadLetter(SpoolClaim claim, SpoolPacket packet, SpoolTask task, Exception? failure, double elapsedMs, Tally tally)
    {
        var now = _time.GetUtcNow();
        var policy = _options.RetryPolicy;
        string? deadReason = policy.IsExhausted(task.Attempt)
            ? $"attempt {task.Attempt} of {policy.MaxAttempts} failed"
            : null;
        if (deadReason is null)
        {
            var delay = policy.GetDelay(task.Attempt, Random.Shared.NextDouble());
            var runAfter = now + delay;
            var next = packet.With(SpoolKeys.Attempt, (task.Attempt + 1).ToString(CultureInfo.InvariantCulture));
            try
            {
                byte[] headerAndArea = SpoolPacketCodec.EncodeHeaderAndArea(next);
                claim.Replace(packet.Body.IsEmpty ? [headerAndArea] : [headerAndArea, packet.Body], runAfter, _options.Durability);
                SpoolLog.Retrying(_logger, failure, task.Name, claim.Path, task.Attempt, elapsedMs, delay);
                SpoolTelemetry.Retried.Add(1, new KeyValuePair<string, object?>(SpoolTelemetry.TaskTag, task.Name), new KeyValuePair<string, object?>(SpoolTelemetry.SpoolTag, _root));
                Interlocked.Increment(ref tally.Retried);
                tally.NoteDue(runAfter);
                return true;
            }
            catch (SpoolLimitException ex)
            {
                deadReason = $"attempt {task.Attempt} failed and the attempt counter does not fit in the packet ({ex.Message})";
            }
        }
        DeadLetter(claim, task, failure, deadReason + (failure is null ? "; the handler returned Retry" : $": {failure.Message}"), elapsedMs, tally);
        return false;
    }

    private void DeadLetter(SpoolClaim claim, SpoolTask task, Exception? failure, string reason, double elapsedMs, Tally tally)
    {
        var note = ReasonNote.Create("dead-letter", reason, claim.Path, _time.GetUtcNow(), task.Name, task.Attempt, failure);
        var target = claim.MoveTo(_options.ResolvedDeadLetterDirectory, note, _options.Durability);
        SpoolLog.DeadLettered(_logger, failure, task.Name, claim.Path, task.Attempt, elapsedMs, reason, target);
        SpoolTelemetry.Failed.Add(1, new KeyValuePair<string, object?>(SpoolTelemetry.TaskTag, task.Name), new KeyValuePair<string, object?>(SpoolTelemetry.SpoolTag, _root));
        Interlocked.Increment(ref tally.DeadLettered);
    }

    /// <summary>Keeps a @spoolforever task for the next full scan; a success resets its attempt counter.</summary>
    private void RunAgain(SpoolClaim claim, SpoolPacket packet, SpoolTask task)
    {
        if (task.Attempt > 1)
        {
            byte[] headerAndArea = SpoolPacketCodec.EncodeHeaderAndArea(packet.Without(SpoolKeys.Attempt));
            claim.Replace(packet.Body.IsEmpty ? [headerAndArea] : [headerAndArea, packet.Body], _time.GetUtcNow(), _options.Durability);
        }
        _ignored.TryAdd(claim.Path, 0);
    }
}
