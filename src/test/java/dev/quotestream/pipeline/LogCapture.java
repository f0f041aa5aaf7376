package dev.quotestream.pipeline;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.List;

/** Captures the application's log events while attached (the log lines a user would see). */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    /** One event: level, logger, the formatted message, and whether a stack trace came with it. */
    public record Line(String level, String logger, String message, boolean stackTrace) {
    }

    private final List<Line> lines = new ArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture attach() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        context.getConfiguration().getLoggerConfig("org.apache.camel").addAppender(capture, null, null);
        context.updateLoggers();
        return capture;
    }

    @Override
    public synchronized void append(LogEvent event) {
        lines.add(new Line(event.getLevel().name(), event.getLoggerName(), event.getMessage().getFormattedMessage(),
                event.getThrown() != null));
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.getConfiguration().getLoggerConfig("org.apache.camel").removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
