package dev.quotestream.aws;

import dev.quotestream.core.CheckpointStore;
import org.apache.camel.component.aws2.kinesis.consumer.KinesisResumeAction;
import org.apache.camel.resume.Offset;
import org.apache.camel.resume.OffsetKey;
import org.apache.camel.resume.ResumeAction;
import org.apache.camel.resume.ResumeActionAware;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.resume.Resumable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's resume API for camel-aws2-kinesis' polling consumer: when it asks for a shard iterator, the shard's
 * checkpoint (from the {@link CheckpointStore}) makes it AFTER_SEQUENCE_NUMBER. A shard never checkpointed starts at
 * the endpoint's iterator type (TRIM_HORIZON: nothing in retention is skipped).
 */
public class KinesisResume implements ResumeStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisResume.class);
    private final CheckpointStore store;
    private final String stream;
    private final Adapter adapter = new Adapter();

    public KinesisResume(CheckpointStore store, String stream) {
        this.store = store;
        this.stream = stream;
    }

    @Override
    public void setAdapter(ResumeAdapter resumeAdapter) {
    }

    @Override
    public ResumeAdapter getAdapter() {
        return adapter;
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset) {
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset, UpdateCallBack updateCallBack) {
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offsetValue) {
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset, UpdateCallBack updateCallBack) {
    }

    @Override
    public void setResumeStrategyConfiguration(ResumeStrategyConfiguration resumeStrategyConfiguration) {
    }

    @Override
    public ResumeStrategyConfiguration getResumeStrategyConfiguration() {
        return null;
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    private final class Adapter implements ResumeAdapter, ResumeActionAware {
        private KinesisResumeAction action;

        @Override
        public void setResumeAction(ResumeAction resumeAction) {
            this.action = (KinesisResumeAction) resumeAction;
        }

        @Override
        public void resume() {
            String shardId = action.getShardId();
            String sequence = store.load(shardId);
            if (sequence != null) {
                LOG.info("Shard {} of {} resumes after checkpoint {}", shardId, stream, sequence);
                action.evalEntry(shardId, sequence);
            } else {
                LOG.info("Shard {} of {} has no checkpoint: starting at the configured iterator type", shardId, stream);
            }
        }
    }
}
