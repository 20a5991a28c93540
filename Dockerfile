# Build: Maven with Java 17
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
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
USER gateway
EXPOSE 2525 2587 2465
VOLUME /opt/mail-gateway/data
CMD ["java", "-jar", "mail-gateway.jar"]
