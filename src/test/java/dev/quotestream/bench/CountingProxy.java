package dev.quotestream.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A loopback TCP proxy in front of one AWS-API server that counts the HTTP requests passing through it, on the wire:
 * every byte is forwarded as it arrives, and a passive HTTP/1.1 parser on the client-to-server direction notes each
 * request (method, path, {@code X-Amz-Target}, the first bytes of its body, the time its head arrived). Clients are
 * pointed at {@link #endpoint()}; nothing is counted from what a client says about itself.
 */
final class CountingProxy implements AutoCloseable {

    /** One request as seen on the wire. {@code nanos}: System.nanoTime() when its head was complete. */
    record Request(long nanos, String method, String path, String target, String bodyStart) {

        /** The API operation: DynamoDB/Kinesis X-Amz-Target suffix, SNS form Action, S3 method + object/bucket. */
        String operation() {
            if (target != null) {
                return target.substring(target.indexOf('.') + 1);
            }
            int action = bodyStart == null ? -1 : bodyStart.indexOf("Action=");
            if (action >= 0) {
                int end = bodyStart.indexOf('&', action);
                return bodyStart.substring(action + 7, end < 0 ? bodyStart.length() : end);
            }
            String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
            boolean objectPath = p.indexOf('/', 1) > 0 && p.indexOf('/', 1) < p.length() - 1;
            return switch (method) {
                case "PUT" -> objectPath ? "PutObject" : "CreateBucket";
                case "GET" -> objectPath ? "GetObject" : (query.contains("list-type") || query.isEmpty() || query.contains("prefix")
                        ? "ListObjects" : "GetBucket?" + query);
                case "HEAD" -> objectPath ? "HeadObject" : "HeadBucket";
                case "DELETE" -> objectPath ? "DeleteObject" : "DeleteBucket";
                case "POST" -> query.contains("delete") ? "DeleteObjects" : "Post";
                default -> method;
            };
        }
    }

    private static final int BODY_START = 1024;

    private final String name;
    private final int target;
    private final ServerSocket server;
    private final List<Request> requests = new ArrayList<>();
    private final List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());

    CountingProxy(String name, int target) throws IOException {
        this.name = name;
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        Thread acceptor = new Thread(this::accept, "counting-proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    String name() {
        return name;
    }

    /** The requests seen so far, oldest first (a copy). */
    synchronized List<Request> requests() {
        return new ArrayList<>(requests);
    }

    synchronized int count() {
        return requests.size();
    }

    private synchronized void record(Request r) {
        requests.add(r);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream, true);
                pipe(upstream, client, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean requests) {
        Thread t = new Thread(() -> {
            RequestParser parser = requests ? new RequestParser() : null;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (parser != null) {
                        parser.feed(buffer, n);
                    }
                }
            } catch (IOException cut) {
                // either side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
                open.remove(from);
                open.remove(to);
            }
        }, "counting-proxy-" + name + (requests ? "-up" : "-down"));
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    /** Passive HTTP/1.1 request framing: head, then a Content-Length or chunked body (only its start is kept). */
    private final class RequestParser {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String method;
        private String path;
        private String amzTarget;
        private long headNanos;
        private long remaining; // body bytes left (Content-Length), or of the current chunk
        private boolean chunked;
        private int chunkState; // 0 size line, 1 data, 2 CRLF after data, 3 trailer
        private final StringBuilder line = new StringBuilder();
        private boolean inBody;
        private int last4;

        void feed(byte[] b, int n) {
            int i = 0;
            while (i < n) {
                if (!inBody) {
                    head.write(b[i]);
                    last4 = (last4 << 8) | (b[i] & 0xff);
                    i++;
                    if (last4 == 0x0d0a0d0a) {
                        last4 = 0;
                        startBody(head.toString(StandardCharsets.ISO_8859_1));
                    }
                } else if (!chunked) {
                    int take = (int) Math.min(remaining, n - i);
                    keep(b, i, take);
                    i += take;
                    remaining -= take;
                    if (remaining == 0) {
                        finish();
                    }
                } else {
                    i = chunk(b, i, n);
                }
            }
        }

        private int chunk(byte[] b, int i, int n) {
            switch (chunkState) {
                case 0, 3 -> {
                    char c = (char) b[i++];
                    if (c == '\n') {
                        String l = line.toString().trim();
                        line.setLength(0);
                        if (chunkState == 3) {
                            if (l.isEmpty()) {
                                finish();
                            }
                        } else {
                            int semi = l.indexOf(';');
                            remaining = Long.parseLong(semi < 0 ? l : l.substring(0, semi), 16);
                            chunkState = remaining == 0 ? 3 : 1;
                        }
                    } else {
                        line.append(c);
                    }
                }
                case 1 -> {
                    int take = (int) Math.min(remaining, n - i);
                    keep(b, i, take);
                    i += take;
                    remaining -= take;
                    if (remaining == 0) {
                        chunkState = 2;
                    }
                }
                default -> { // CRLF after a chunk's data
                    if (b[i++] == '\n') {
                        chunkState = 0;
                    }
                }
            }
            return i;
        }

        private void keep(byte[] b, int from, int len) {
            int room = BODY_START - body.size();
            if (room > 0) {
                body.write(b, from, Math.min(room, len));
            }
        }

        private void startBody(String text) {
            headNanos = System.nanoTime();
            String[] lines = text.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            method = requestLine[0];
            path = requestLine.length > 1 ? requestLine[1] : "";
            amzTarget = null;
            long length = 0;
            chunked = false;
            for (int k = 1; k < lines.length; k++) {
                int colon = lines[k].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String h = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String v = lines[k].substring(colon + 1).trim();
                switch (h) {
                    case "content-length" -> length = Long.parseLong(v);
                    case "transfer-encoding" -> chunked = v.toLowerCase(Locale.ROOT).contains("chunked");
                    case "x-amz-target" -> amzTarget = v;
                    default -> { }
                }
            }
            head.reset();
            body.reset();
            inBody = true;
            chunkState = 0;
            remaining = length;
            if (!chunked && length == 0) {
                finish();
            }
        }

        private void finish() {
            record(new Request(headNanos, method, path, amzTarget, body.toString(StandardCharsets.UTF_8)));
            inBody = false;
            chunked = false;
            body.reset();
        }
    }
}
