package dev.quotestream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of one server, owned by one test ({@link LoopbackAws#proxy}): it can be taken
 * down (connections refused, open ones cut) and brought back on the same port, an outage that only the
 * clients pointed at this proxy see.
 */
public final class TcpProxy implements AutoCloseable {

    private final int target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;

    TcpProxy(int target) throws IOException {
        this.target = target;
        this.port = LoopbackAws.freePort();
        up();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint to give the clients under test. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        server = s;
        acceptor = new Thread(() -> accept(s), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An outage: when this returns, the port refuses connections and every open connection is cut. */
    public synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
            // The kernel's listening socket goes only when the thread blocked in accept() has left it.
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while taking the proxy down", e);
            }
        }
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket("127.0.0.1", target);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException stopped) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException cut) {
                // connection closed by either side or by down()
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
