# Build: the jar and its libraries.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
COPY application.properties .
RUN mvn -B -q package -DskipTests

# Run: `obsync run` with routes/ and application.properties mounted at /app.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/obsync.jar /opt/obsync/obsync.jar
COPY --from=build /src/target/lib /opt/obsync/lib
COPY routes routes
COPY application.properties .
VOLUME ["/app/data"]
ENTRYPOINT ["java", "-jar", "/opt/obsync/obsync.jar"]
CMD ["run"]
