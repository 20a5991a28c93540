import dev.mailgateway.spool.AdminAccess;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * A consumer of mail events for the benchmark (src/bench/relay.sh --events): reads its own queue,
 * Consumer.<name>.VirtualTopic.mail.events, on a running gateway's embedded broker (through the queue tools'
 * access file), as fast as events come, and says how many it got when it is stopped (SIGTERM).
 * Run with the gateway's jar: java -cp target/mail-gateway.jar src/bench/EventDrain.java DATA/broker NAME
 */
public class EventDrain {
    public static void main(String[] args) throws Exception {
        Path brokerDir = Path.of(args[0]);
        String name = args.length > 1 ? args[1] : "bench";
        for (int i = 0; i < 600 && !Files.exists(brokerDir.resolve("admin.properties")); i++) {
            Thread.sleep(100);
        }
        AdminAccess.Access access = AdminAccess.read(brokerDir);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(access.url());
        factory.setUserName(access.username());
        factory.setPassword(access.password());
        factory.setWatchTopicAdvisories(false);
        Connection connection = factory.createConnection();
        AtomicLong events = new AtomicLong();
        Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        session.createConsumer(new ActiveMQQueue("Consumer." + name + ".VirtualTopic.mail.events"))
                .setMessageListener(message -> events.incrementAndGet());
        connection.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("events drained: " + events.get());
            System.out.flush();
        }));
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
