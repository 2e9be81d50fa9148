using TypedSpool;

namespace OtelSample;

/// <summary>Two typed tasks; the receipt fails its first attempt so the trace shows a retry.</summary>
public static partial class ShopTasks
{
    [Spool]
    public static void ResizeImage(string image, int width)
    {
        Thread.Sleep(20); // some work, so the run span has a visible duration
        Console.WriteLine($"resized {image} to {width} px");
    }

    [Spool]
    public static void SendReceipt(string to, SpoolContext context)
    {
        if (context.Attempt == 1)
        {
            throw new InvalidOperationException("SMTP server busy (the sample fails the first attempt on purpose)");
        }
        Console.WriteLine($"receipt sent to {to} on attempt {context.Attempt}");
    }
}
