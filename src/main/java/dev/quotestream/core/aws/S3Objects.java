package dev.quotestream.core.aws;

import dev.quotestream.core.ObjectKinds;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.nio.charset.StandardCharsets;

/** Objects in the bucket: the content type of their kind, server-side encryption on every one. */
public class S3Objects {

    private final S3Client s3;
    private final String bucket;
    private final String sseAlgorithm;
    private final String sseKmsKeyId;

    /** @param sseAlgorithm {@code AES256} or {@code aws:kms}; @param sseKmsKeyId null: the bucket's or AWS-managed key */
    public S3Objects(S3Client s3, String bucket, String sseAlgorithm, String sseKmsKeyId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.sseAlgorithm = sseAlgorithm;
        this.sseKmsKeyId = sseKmsKeyId;
    }

    public void put(String key, String content, ObjectKinds kind) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key)
                .contentType(kind.contentType()).serverSideEncryption(sseAlgorithm);
        if (sseKmsKeyId != null) {
            put.ssekmsKeyId(sseKmsKeyId);
        }
        s3.putObject(put.build(), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }
}
