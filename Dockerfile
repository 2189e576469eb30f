# Build: the product jar and the libraries it runs with (target/lib: no embedded server, no test library;
# the demo and the benchmarks are test classes and stay out of the image).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
COPY application.properties .
RUN mvn -B -q package -Dmaven.test.skip=true

# Run: a JRE, the jar and its libraries, as an unprivileged user. Mount your routes/ and
# application.properties over the shipped ones at /app; positions live in the /app/data volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin obsync
WORKDIR /app
COPY --from=build /src/target/obsync.jar /opt/obsync/obsync.jar
COPY --from=build /src/target/lib /opt/obsync/lib
COPY routes routes
COPY application.properties .
RUN mkdir -p /app/data && chown obsync /app/data
USER obsync
# Camel's management server (Prometheus metrics, health) listens on the container's own addresses;
# it is reachable from outside only where you publish it (-p 127.0.0.1:9464:9464).
ENV CAMEL_MANAGEMENT_HOST=0.0.0.0
EXPOSE 9464
VOLUME ["/app/data"]
# At most 512 MB of heap (catch-up and full synchronization run in it, docs/benchmarks.md), and a JVM
# that ends instead of limping on when it runs out: raise it with -e JDK_JAVA_OPTIONS="-Xmx1g ...".
ENV JDK_JAVA_OPTIONS="-Xmx512m -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/obsync/obsync.jar"]
CMD ["run"]
