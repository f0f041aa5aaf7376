package dev.quotestream.core.aws;

import dev.quotestream.core.AlertPublisher;
import dev.quotestream.core.PendingAlert;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes an alert to SNS: its subject, its message JSON and the contract's three message attributes. */
public class SnsAlertPublisher implements AlertPublisher {

    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(PendingAlert alert) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        alert.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        sns.publish(b -> b.topicArn(topicArn).subject(alert.subject()).message(alert.json())
                .messageAttributes(attributes));
    }
}
