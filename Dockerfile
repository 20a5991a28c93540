# Build: Maven with Java 17
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The dependencies first, in a layer of their own: it is rebuilt only when pom.xml changes, not on every source
# edit. Packaging an empty source tree fetches exactly what the real package needs (libraries and plugins);
# dependency:go-offline does not work here: it also resolves netty's optional netty-tcnative, whose classifier
# only the os-maven-plugin extension fills in, and fails.
COPY pom.xml .
RUN mkdir -p src/main/java && mvn -B -q package -DskipTests && rm -rf src target
COPY src src
RUN mvn -B -q package -DskipTests

# Run: the jar, its lib/ and the operator's config and routes
FROM eclipse-temurin:17-jre
WORKDIR /opt/mail-gateway
RUN useradd --system --home-dir /opt/mail-gateway gateway && mkdir data && chown gateway data
COPY --from=build /src/target/mail-gateway.jar .
COPY --from=build /src/target/lib lib
COPY config config
COPY routes routes
COPY docker/healthcheck.sh .
USER gateway
# 2525 mx, 2587 submission, 2465 submissions; 9025 the admin port (/metrics, /health/live, /health/ready), which
# listens on loopback unless GATEWAY_ADMIN_BIND says otherwise
EXPOSE 2525 2587 2465 9025
VOLUME /opt/mail-gateway/data
# Healthy while the gateway's /health/ready answers 200 (503: not ready). It runs inside the container, so the
# admin port's default loopback bind is enough. The start period covers the JVM and Camel starting.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "/opt/mail-gateway/healthcheck.sh", "/health/ready"]
CMD ["java", "-jar", "mail-gateway.jar"]
